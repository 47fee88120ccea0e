//! Preferences the user sets, and facts about this installation for Settings.

use crate::{Engine, EngineResult};
use switchyard_store::tables::settings;
use switchyard_store::KeySource;

const THEME_KEY: &str = "ui.theme";
const ONBOARDING_KEY: &str = "ui.onboarding_completed";

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Preferences {
    pub theme: Theme,
    pub onboarding_completed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub version: String,
    pub data_dir: String,
    pub database_path: String,
    pub log_dir: Option<String>,
    pub schema_version: i64,
    pub key_source: KeySource,
}

impl Engine {
    pub async fn preferences(&self) -> EngineResult<Preferences> {
        let pool = self.store().pool();
        Ok(Preferences {
            theme: settings::get(pool, THEME_KEY).await?.unwrap_or_default(),
            onboarding_completed: settings::get(pool, ONBOARDING_KEY).await?.unwrap_or(false),
        })
    }

    pub async fn set_theme(&self, theme: Theme) -> EngineResult<Preferences> {
        settings::set(self.store().pool(), THEME_KEY, &theme).await?;
        self.preferences().await
    }

    pub async fn complete_onboarding(&self) -> EngineResult<Preferences> {
        settings::set(self.store().pool(), ONBOARDING_KEY, &true).await?;
        self.preferences().await
    }

    pub fn app_info(&self) -> AppInfo {
        let store = self.store();
        AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            data_dir: store.paths().dir.display().to_string(),
            database_path: store.paths().database.display().to_string(),
            log_dir: self.log_dir().map(|d| d.display().to_string()),
            schema_version: store.schema().version,
            key_source: store.vault().source(),
        }
    }
}
