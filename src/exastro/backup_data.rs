//! What a backup holds, as data: kept apart from `backup` (which reads the cluster through the run's
//! context) so that the context can carry a pending backup without a module cycle.

use std::path::PathBuf;

/// The files of one backup, relative to its directory.
pub(crate) struct Backup {
    pub(crate) files: Vec<(String, String)>,
    /// The release's revision when it was taken.
    pub(crate) revision: String,
}

/// A backup read and not yet written: a run writes it once the changes are about to begin (after the
/// confirmation), so a declined or refused run leaves no copy of the keys behind.
pub(crate) struct Pending {
    pub(crate) backup: Backup,
    pub(crate) dir: PathBuf,
    /// The directory is the state directory's own (not `--backup-dir`): older ones there are pruned.
    pub(crate) managed: bool,
}
