//! What the owner alone may read: the data directory is `0700` and every file Hearth writes in it
//! `0600`, whatever the umask. Everything in it is sealed anyway; this keeps other accounts on the
//! machine from even copying the sealed bytes away to attack the passphrase at leisure. On other
//! platforms the directory's own access rules apply.

use std::fs::{self, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
const DIR_MODE: u32 = 0o700;
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and any missing parents, with the same mode) for the owner alone.
pub(crate) fn create_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)?;
    // An existing directory keeps its mode through `create`.
    restrict_dir(dir)
}

/// Options that create a file for the owner alone.
pub(crate) fn file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

/// Takes away from group and others any access to `dir`, as a store made by an earlier version,
/// or a directory the person chose, may allow.
pub(crate) fn restrict_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    restrict(dir, DIR_MODE)?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Takes away from group and others any access to the file at `path`, if it exists.
pub(crate) fn restrict_file(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    match restrict(path, FILE_MODE) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        other => other?,
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let current = fs::metadata(path)?.permissions().mode() & 0o777;
    if current & !mode != 0 {
        fs::set_permissions(path, fs::Permissions::from_mode(current & mode))?;
    }
    Ok(())
}
