// The app's one configuration file is `tauri.conf.json` at the repository
// root; build from it directly rather than from a copy.
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().config_path("../tauri.conf.json"))
        .expect("tauri build step failed");
}
