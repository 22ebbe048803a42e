//! Errors of the frame layer, one enum per operation.

/// Why a session could not be set up.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// Both ends claim the same endpoint id: a device talking to itself, or a reflection.
    #[error("both ends of the session have the same endpoint id")]
    SameEndpoint,
    /// The peer's session nonce equals ours: it was reflected back, not freshly chosen.
    #[error("the peer's session nonce equals ours")]
    ReflectedNonce,
}

/// Why a frame's length prefix is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameLengthError {
    /// The declared length is above the cap.
    #[error("frame declares {declared} bytes, more than the {max}-byte cap")]
    TooLarge {
        /// The declared length.
        declared: u32,
        /// The cap.
        max: usize,
    },
    /// The declared length cannot even hold the header and tag.
    #[error("frame declares {declared} bytes, fewer than the {min} any frame needs")]
    TooShort {
        /// The declared length.
        declared: u32,
        /// The minimum.
        min: usize,
    },
}

/// Why a frame could not be sealed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum SealFrameError {
    /// The plaintext is above [`super::MAX_FRAME_PLAINTEXT`]; split it.
    #[error("frame plaintext of {len} bytes is above the {max}-byte cap")]
    TooLarge {
        /// The plaintext's length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// 2^64 frames were sent on this session; start a new one.
    #[error("the session's frame counter is exhausted")]
    CounterExhausted,
}

/// Why a received frame was rejected. After any of these the connection should be closed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenFrameError {
    /// The frame's length is wrong (over the cap, too short, or not what its prefix declared).
    #[error("frame has a bad length")]
    BadLength(#[source] FrameLengthError),
    /// The prefix declares a different length than the bytes that follow it.
    #[error("frame prefix declares {declared} bytes but {actual} follow")]
    LengthMismatch {
        /// The declared body length.
        declared: usize,
        /// The body length found.
        actual: usize,
    },
    /// A sync protocol version this build does not speak.
    #[error("frame has unsupported version {version}")]
    UnsupportedVersion {
        /// The version found.
        version: u8,
    },
    /// The frame travels in our own sending direction: one of our frames sent back to us.
    #[error("frame is one of our own, reflected back")]
    Reflected,
    /// The direction byte is neither direction.
    #[error("frame has unknown direction {direction}")]
    UnknownDirection {
        /// The byte found.
        direction: u8,
    },
    /// Wrong key, or the frame was altered.
    #[error("frame failed authentication")]
    AuthenticationFailed,
    /// An authentic frame whose counter was already used: a replay.
    #[error("frame {counter} was replayed (expected {expected})")]
    Replayed {
        /// The frame's counter.
        counter: u64,
        /// The counter expected next.
        expected: u64,
    },
    /// An authentic frame from further ahead: frames were dropped or reordered.
    #[error("frame {counter} arrived out of order (expected {expected})")]
    OutOfOrder {
        /// The frame's counter.
        counter: u64,
        /// The counter expected next.
        expected: u64,
    },
}
