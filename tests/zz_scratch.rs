mod common;
use common::*;
#[test]
fn scratch() {
    let s = Site::new().complete_pack("pack");
    let _ = std::fs::remove_dir_all("/tmp/explore");
    let keep = s.dir.keep();
    std::fs::rename(&keep, "/tmp/explore").unwrap();
}
