//! A folder as a mailbox: any directory both partners' computers reach (a folder a file-sync
//! service keeps in step, a network share, a USB stick carried between them). No server at all.
//!
//! A journal's files live in `DIR/hearth-ID/`, ID being the journal's opaque mailbox id, one
//! subdirectory per device tag. Each file is written beside its final name and renamed into place,
//! so a sync service or the other computer never sees half a file.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::names::FileName;
use crate::store::{Entry, MAX_ENTRIES, Mailbox, MailboxError};

/// At most this many directory entries are looked at while listing, ours or not.
const MAX_SCANNED: usize = 4 * MAX_ENTRIES;

/// A journal's place in a folder.
#[derive(Clone, Debug)]
pub struct Folder {
    dir: PathBuf,
    root: PathBuf,
}

impl Folder {
    /// The journal with opaque mailbox id `mailbox_id` in the folder `dir`. Nothing is touched
    /// until the first call.
    pub fn new(dir: impl Into<PathBuf>, mailbox_id: &[u8; 16]) -> Folder {
        let dir = dir.into();
        let root = dir.join(format!(
            "hearth-{}",
            data_encoding::HEXLOWER.encode(mailbox_id)
        ));
        Folder { dir, root }
    }

    /// The folder the person chose.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The journal's own directory inside it.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, name: &str) -> Result<PathBuf, MailboxError> {
        let parsed = FileName::parse(name).ok_or_else(|| MailboxError::BadName(name.to_owned()))?;
        let (tag, file) = name.split_once('/').expect("a parsed name has a tag");
        debug_assert_eq!(crate::tag_hex(&parsed.tag()), tag);
        Ok(self.root.join(tag).join(file))
    }

    fn check_there(&self) -> Result<(), MailboxError> {
        if self.dir.is_dir() {
            Ok(())
        } else {
            Err(MailboxError::Missing(self.dir.display().to_string()))
        }
    }

    fn list_now(&self) -> Result<Vec<Entry>, MailboxError> {
        self.check_there()?;
        let io = |source| MailboxError::Io {
            doing: "listed",
            source,
        };
        let tags = match std::fs::read_dir(&self.root) {
            Ok(tags) => tags,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(e)),
        };
        let mut out = Vec::new();
        let mut scanned = 0usize;
        for tag in tags {
            let tag = tag.map_err(io)?;
            scanned += 1;
            let Some(tag_name) = tag.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if !tag.file_type().map_err(io)?.is_dir() {
                continue;
            }
            for file in std::fs::read_dir(tag.path()).map_err(io)? {
                let file = file.map_err(io)?;
                scanned += 1;
                if scanned > MAX_SCANNED {
                    return Err(MailboxError::TooManyFiles);
                }
                let Some(file_name) = file.file_name().to_str().map(str::to_owned) else {
                    continue;
                };
                let name = format!("{tag_name}/{file_name}");
                if FileName::parse(&name).is_none() {
                    continue;
                }
                let meta = file.metadata().map_err(io)?;
                if !meta.is_file() {
                    continue;
                }
                let modified_ms = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
                out.push(Entry {
                    name,
                    size: meta.len(),
                    modified_ms,
                });
                if out.len() > MAX_ENTRIES {
                    return Err(MailboxError::TooManyFiles);
                }
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    fn get_now(&self, name: &str) -> Result<Option<Vec<u8>>, MailboxError> {
        self.check_there()?;
        let path = self.path(name)?;
        let io = |source| MailboxError::Io {
            doing: "read",
            source,
        };
        let mut file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io(e)),
        };
        let len = file.metadata().map_err(io)?.len();
        let limit = hearth_crypto::mailbox::max_file_len() as u64;
        if len > limit {
            return Err(MailboxError::TooLarge(len));
        }
        let mut bytes = Vec::with_capacity(len as usize);
        // Read no more than the limit, even if the file grows meanwhile.
        std::io::Read::read_to_end(&mut std::io::Read::take(&mut file, limit + 1), &mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > limit {
            return Err(MailboxError::TooLarge(bytes.len() as u64));
        }
        Ok(Some(bytes))
    }

    fn put_now(&self, name: &str, bytes: &[u8]) -> Result<(), MailboxError> {
        self.check_there()?;
        let path = self.path(name)?;
        let io = |source| MailboxError::Io {
            doing: "written",
            source,
        };
        let dir = path.parent().expect("a mailbox file is in a tag directory");
        std::fs::create_dir_all(dir).map_err(io)?;
        let suffix: [u8; 6] = getrandom::u64()
            .map_err(|e| io(std::io::Error::other(e)))?
            .to_le_bytes()[..6]
            .try_into()
            .expect("6 bytes");
        let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        // A leading dot and a suffix that is not ours: a half-written file is never listed.
        let temp = dir.join(format!(
            ".{file_name}.{}.partial",
            data_encoding::HEXLOWER.encode(&suffix)
        ));
        let written = (|| {
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, &path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(io(e));
        }
        // The rename is durable once the directory is; not every file system allows this.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    fn delete_now(&self, name: &str) -> Result<(), MailboxError> {
        self.check_there()?;
        match std::fs::remove_file(self.path(name)?) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(source) => Err(MailboxError::Io {
                doing: "cleaned up",
                source,
            }),
        }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, MailboxError> + Send + 'static,
) -> Result<T, MailboxError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        Err(MailboxError::Io {
            doing: "reached",
            source: std::io::Error::other(e),
        })
    })
}

impl Mailbox for Folder {
    async fn list(&self) -> Result<Vec<Entry>, MailboxError> {
        let me = self.clone();
        blocking(move || me.list_now()).await
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, MailboxError> {
        let (me, name) = (self.clone(), name.to_owned());
        blocking(move || me.get_now(&name)).await
    }

    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), MailboxError> {
        let (me, name) = (self.clone(), name.to_owned());
        blocking(move || me.put_now(&name, &bytes)).await
    }

    async fn delete(&self, name: &str) -> Result<(), MailboxError> {
        let (me, name) = (self.clone(), name.to_owned());
        blocking(move || me.delete_now(&name)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{blob_name, state_name};

    const TAG: [u8; 8] = [7; 8];

    #[tokio::test]
    async fn files_go_in_and_come_back_out() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = Folder::new(dir.path(), &[1; 16]);
        assert_eq!(folder.list().await.expect("empty"), vec![]);
        folder
            .put(&blob_name(&TAG, 3), b"sealed".to_vec())
            .await
            .expect("put");
        folder
            .put(&state_name(&TAG), b"state".to_vec())
            .await
            .expect("put");
        let names: Vec<String> = folder
            .list()
            .await
            .expect("list")
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, vec![blob_name(&TAG, 3), state_name(&TAG)]);
        assert_eq!(
            folder.get(&blob_name(&TAG, 3)).await.expect("get"),
            Some(b"sealed".to_vec())
        );
        folder.delete(&blob_name(&TAG, 3)).await.expect("delete");
        folder.delete(&blob_name(&TAG, 3)).await.expect("twice");
        assert_eq!(folder.get(&blob_name(&TAG, 3)).await.expect("get"), None);
    }

    #[tokio::test]
    async fn half_written_and_foreign_files_are_not_listed() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = Folder::new(dir.path(), &[1; 16]);
        folder
            .put(&state_name(&TAG), b"state".to_vec())
            .await
            .expect("put");
        let tag_dir = folder.root().join(crate::tag_hex(&TAG));
        std::fs::write(tag_dir.join(".state.abcdef.partial"), b"half").expect("write");
        std::fs::write(tag_dir.join("notes.txt"), b"mine").expect("write");
        std::fs::write(folder.root().join("README"), b"x").expect("write");
        let listed = folder.list().await.expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, state_name(&TAG));
        assert_eq!(listed[0].size, 5);
        assert!(
            folder.get("../../etc/passwd").await.is_err(),
            "only names the crate writes"
        );
    }

    #[tokio::test]
    async fn a_folder_that_is_gone_says_so() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = Folder::new(dir.path().join("usb-stick"), &[1; 16]);
        let e = folder.list().await.expect_err("missing");
        assert!(matches!(e, MailboxError::Missing(_)), "{e}");
        assert!(e.to_string().contains("usb-stick"), "{e}");
    }

    #[tokio::test]
    async fn an_oversized_file_is_refused_before_it_is_read() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = Folder::new(dir.path(), &[1; 16]);
        folder
            .put(&state_name(&TAG), Vec::new())
            .await
            .expect("put");
        let path = folder.root().join(crate::tag_hex(&TAG)).join("state");
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .expect("open");
        file.set_len(hearth_crypto::mailbox::max_file_len() as u64 + 1)
            .expect("sparse");
        let e = folder.get(&state_name(&TAG)).await.expect_err("too large");
        assert!(matches!(e, MailboxError::TooLarge(_)), "{e}");
    }
}
