//! Argon2id cost parameters and the bounds a stored set must respect.

/// Argon2id cost parameters, stored beside every wrapped key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over the memory.
    pub iterations: u32,
    /// Number of lanes.
    pub parallelism: u32,
}

/// Why a set of [`KdfParams`] is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum KdfParamsError {
    /// Memory below Argon2's minimum of 8 KiB per lane.
    #[error("Argon2 memory of {memory_kib} KiB is below the minimum of 8 KiB per lane")]
    MemoryTooSmall {
        /// The memory asked for, in KiB.
        memory_kib: u32,
    },
    /// Memory above [`KdfParams::MAX_MEMORY_KIB`].
    #[error(
        "Argon2 memory of {memory_kib} KiB is above the cap of {} KiB",
        KdfParams::MAX_MEMORY_KIB
    )]
    MemoryTooLarge {
        /// The memory asked for, in KiB.
        memory_kib: u32,
    },
    /// Zero iterations, or more than [`KdfParams::MAX_ITERATIONS`].
    #[error(
        "Argon2 iteration count {iterations} is outside 1..={}",
        KdfParams::MAX_ITERATIONS
    )]
    IterationsOutOfRange {
        /// The iteration count asked for.
        iterations: u32,
    },
    /// Zero lanes, or more than [`KdfParams::MAX_PARALLELISM`].
    #[error(
        "Argon2 parallelism {parallelism} is outside 1..={}",
        KdfParams::MAX_PARALLELISM
    )]
    ParallelismOutOfRange {
        /// The lane count asked for.
        parallelism: u32,
    },
}

impl KdfParams {
    /// The most memory a set of parameters may ask for: 4 GiB. A corrupted or hostile file cannot
    /// make unlocking allocate more.
    pub const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
    /// The most passes a set of parameters may ask for.
    pub const MAX_ITERATIONS: u32 = 64;
    /// The most lanes a set of parameters may ask for.
    pub const MAX_PARALLELISM: u32 = 16;

    /// The parameters used for new wrapped keys: Argon2id with 128 MiB, 3 passes, 1 lane.
    ///
    /// Measured once on the reference 2-core machine in release mode
    /// (`cargo run --release -p hearth-crypto --example kdf_timing`): about 0.49 s per derivation
    /// (64 MiB took 0.22 s, below the 0.3 s we aim for). The derivation runs on one thread, so the
    /// number of cores does not change it. That is the cost of every
    /// unlock, and of every guess of an attacker who holds the file.
    pub fn production() -> Self {
        Self {
            memory_kib: 128 * 1024,
            iterations: 3,
            parallelism: 1,
        }
    }

    /// Tiny parameters that make a derivation take a moment. For tests only: they give a stolen
    /// file almost no protection.
    pub fn insecure_fast_for_tests() -> Self {
        Self {
            memory_kib: 8,
            iterations: 1,
            parallelism: 1,
        }
    }

    /// Whether a guess costs less under these parameters than under `other`, by the work it takes:
    /// memory times passes. (More lanes do not make a guess dearer for an attacker with the
    /// cores.)
    pub fn weaker_than(&self, other: &KdfParams) -> bool {
        let cost = |p: &KdfParams| u64::from(p.memory_kib) * u64::from(p.iterations);
        cost(self) < cost(other)
    }

    /// Checks the parameters against the bounds above and Argon2's own minimums.
    pub fn validate(&self) -> Result<(), KdfParamsError> {
        if self.parallelism == 0 || self.parallelism > Self::MAX_PARALLELISM {
            return Err(KdfParamsError::ParallelismOutOfRange {
                parallelism: self.parallelism,
            });
        }
        if self.iterations == 0 || self.iterations > Self::MAX_ITERATIONS {
            return Err(KdfParamsError::IterationsOutOfRange {
                iterations: self.iterations,
            });
        }
        if self.memory_kib > Self::MAX_MEMORY_KIB {
            return Err(KdfParamsError::MemoryTooLarge {
                memory_kib: self.memory_kib,
            });
        }
        if self.memory_kib < 8 * self.parallelism {
            return Err(KdfParamsError::MemoryTooSmall {
                memory_kib: self.memory_kib,
            });
        }
        Ok(())
    }
}
