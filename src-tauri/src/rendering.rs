//! WebKitGTK's renderer on Linux machines without a GPU. There WebKit's default renderer
//! (DMA-BUF buffers drawn with GL) runs on Mesa's software rasteriser: measured under Xvfb
//! (benchmark B7), the first screen reached the display about 2 s after it was in the DOM,
//! and the web process held about 100 MB more than with WebKit's non-DMA-BUF path. So when
//! the machine has no GPU render node, the app asks WebKit for that path — unless the user
//! set `WEBKIT_DISABLE_DMABUF_RENDERER` themselves. Machines with a GPU are left alone.

use std::path::Path;

const DMABUF_OFF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";

/// Call first thing in `main`, before any thread starts and before WebKit loads.
pub fn prefer_software_path_without_gpu() {
    if cfg!(target_os = "linux")
        && std::env::var_os(DMABUF_OFF).is_none()
        && !has_render_node(Path::new("/dev/dri"))
    {
        std::env::set_var(DMABUF_OFF, "1");
    }
}

/// Whether `dri` holds a GPU render node (`renderD128`, …).
pub fn has_render_node(dri: &Path) -> bool {
    std::fs::read_dir(dri).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_node_is_found_and_its_absence_noticed() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!has_render_node(&dir.path().join("missing")));
        std::fs::write(dir.path().join("card0"), "").expect("card0");
        assert!(!has_render_node(dir.path()), "a card without a render node");
        std::fs::write(dir.path().join("renderD128"), "").expect("renderD128");
        assert!(has_render_node(dir.path()));
    }
}
