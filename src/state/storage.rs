//! The lab kept in localStorage: the seed, the files it started with, and the journal of
//! requests that changed it. Replaying the journal rebuilds the cluster after a reload.

use svclab_protocol::{decode, encode, FileEntry, Request, Seeded};

const KEY: &str = "service-lab.lab.v1";

/// Journal entries kept. Dropping the oldest would replay a different history, so past this
/// the journal stops growing: a reload then rebuilds the lab as it was at entry 5,000 (edits
/// to one file in a row take a single entry, so a lesson uses a few hundred).
pub const MAX_JOURNAL: usize = 5_000;

/// The saved lab, if any (a damaged entry counts as none).
pub fn load() -> Option<Seeded> {
    decode(&crate::browser::read(KEY)?).ok()
}

/// Saves the lab (quota errors leave the previous save in place).
pub fn save(lab: &Seeded) {
    crate::browser::write(KEY, &encode(lab));
}

/// Removes the saved lab.
pub fn clear() {
    crate::browser::remove(KEY);
}

/// A new lab with the article's files.
pub fn fresh(seed: u64) -> Seeded {
    Seeded {
        seed,
        files: crate::article::FILES
            .iter()
            .map(|(path, text)| FileEntry {
                path: (*path).to_owned(),
                text: (*text).to_owned(),
            })
            .collect(),
        journal: Vec::<Request>::new(),
    }
}
