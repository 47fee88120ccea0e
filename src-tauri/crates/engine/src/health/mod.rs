//! Integration health: connection status, the charts' time series, alert rules and
//! their delivery, the live monitor, and exports. The dashboard's summary numbers are
//! in `api::health`.

mod csv_cell;
pub mod evaluate;
pub mod export;
pub mod monitor;
pub mod rules;
pub mod series;
pub mod settings;
pub mod status;

pub use monitor::{ConnectionStatusNow, HealthTick};
pub use rules::StatusChange;
pub use series::{ConnectionSeries, HealthRange, HealthSeries};
pub use settings::HealthSettings;
pub use status::HealthStatus;
