//! What the operating system gives the device: randomness. (The clock is `UnixMs::now`.)

/// Fresh random bytes from the operating system.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], getrandom::Error> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)?;
    Ok(bytes)
}

/// A fresh actor id for a replica opened on `device`: the journal can tell which device made each
/// change, and a replica never repeats an earlier one's sequence numbers.
pub(crate) fn actor(device: &crate::DeviceId) -> Result<[u8; 16], getrandom::Error> {
    Ok(hearth_journal::device_actor(device.as_bytes(), random()?))
}
