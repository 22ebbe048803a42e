//! Bytes on a stream: the session hello and the sealed frames carrying sync messages in parts;
//! and the length-prefixed plaintext messages of pairing, which reads and writes through here too.

use std::time::Duration;

use hearth_crypto::frame::{
    self, FRAME_HEADER_LEN, FrameOpener, FrameSealer, KEY_CHECK_LEN, MAX_FRAME_PLAINTEXT,
};
use iroh::endpoint::{RecvStream, SendStream};

use crate::event::Misbehaviour;

/// The largest sync message a peer may send, reassembled from frames. A whole journal of years
/// fits many times over; a peer cannot make us buffer more.
pub(crate) const MAX_SYNC_MESSAGE: usize = 64 * 1024 * 1024;
/// Once a frame has begun, its body must arrive within this time (a peer that trickles bytes is
/// cut off rather than holding the session).
pub(crate) const FRAME_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The most epochs a hello names: the newest ones a device holds.
pub(crate) const MAX_HELLO_EPOCHS: usize = 32;
/// The sync protocol version in the hello.
pub(crate) const SYNC_VERSION: u8 = 2;

const PART: u8 = 1;
const LAST_PART: u8 = 2;
const PING: u8 = 3;
const PONG: u8 = 4;

/// Why reading or writing a stream failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub(crate) enum WireError {
    /// The stream or connection closed.
    #[error("the connection closed")]
    Closed,
    /// The peer sent something it never should.
    #[error("the peer misbehaved: {0}")]
    Misbehaved(Misbehaviour),
    /// Sealing failed (a message part over the cap: a bug of ours).
    #[error("could not seal a frame")]
    Seal(#[source] hearth_crypto::frame::SealFrameError),
}

/// A message inside the sealed session.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Incoming {
    /// A whole sync message.
    Sync(Vec<u8>),
    /// The peer asks whether we are there.
    Ping,
    /// The peer answers our ping.
    Pong,
}

/// What one side says in its hello:
///
/// ```text
/// version (1) = 2 || count (1, 1..=32) || count × (epoch (u32 BE) || key check (8)) || nonce (32)
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hello {
    /// The epochs whose journal keys the side holds (the newest, at most [`MAX_HELLO_EPOCHS`]),
    /// each with its key's check value.
    pub(crate) epochs: Vec<(u32, [u8; KEY_CHECK_LEN])>,
    /// The side's fresh session nonce.
    pub(crate) nonce: [u8; 32],
}

pub(crate) async fn write_hello(send: &mut SendStream, hello: &Hello) -> Result<(), WireError> {
    let count = hello.epochs.len().clamp(1, MAX_HELLO_EPOCHS);
    let newest = &hello.epochs[hello.epochs.len() - count.min(hello.epochs.len())..];
    let mut bytes = Vec::with_capacity(2 + count * (4 + KEY_CHECK_LEN) + 32);
    bytes.push(SYNC_VERSION);
    bytes.push(u8::try_from(newest.len()).map_err(|_| WireError::Closed)?);
    for (epoch, check) in newest {
        bytes.extend_from_slice(&epoch.to_be_bytes());
        bytes.extend_from_slice(check);
    }
    bytes.extend_from_slice(&hello.nonce);
    send.write_all(&bytes).await.map_err(|_| WireError::Closed)
}

pub(crate) async fn read_hello(recv: &mut RecvStream) -> Result<Hello, WireError> {
    let mut head = [0u8; 2];
    recv.read_exact(&mut head)
        .await
        .map_err(|_| WireError::Closed)?;
    let [version, count] = head;
    let count = usize::from(count);
    if version != SYNC_VERSION || count == 0 || count > MAX_HELLO_EPOCHS {
        return Err(WireError::Misbehaved(Misbehaviour::BadMessage));
    }
    let mut rest = vec![0u8; count * (4 + KEY_CHECK_LEN) + 32];
    recv.read_exact(&mut rest)
        .await
        .map_err(|_| WireError::Closed)?;
    let (listed, nonce) = rest.split_at(count * (4 + KEY_CHECK_LEN));
    let epochs = listed
        .chunks_exact(4 + KEY_CHECK_LEN)
        .map(|held| {
            let (epoch, check) = held.split_at(4);
            (
                u32::from_be_bytes(epoch.try_into().expect("4 bytes")),
                check.try_into().expect("8 bytes"),
            )
        })
        .collect();
    Ok(Hello {
        epochs,
        nonce: nonce.try_into().expect("32 bytes"),
    })
}

/// Writes a length-prefixed plaintext message (pairing: the handshake seals what is secret).
pub(crate) async fn write_plain(send: &mut SendStream, message: &[u8]) -> Result<(), WireError> {
    let len = u32::try_from(message.len()).map_err(|_| WireError::Closed)?;
    send.write_all(&len.to_be_bytes())
        .await
        .map_err(|_| WireError::Closed)?;
    send.write_all(message).await.map_err(|_| WireError::Closed)
}

/// Reads a length-prefixed plaintext message of at most `max` bytes.
pub(crate) async fn read_plain(recv: &mut RecvStream, max: usize) -> Result<Vec<u8>, WireError> {
    let mut header = [0u8; 4];
    recv.read_exact(&mut header)
        .await
        .map_err(|_| WireError::Closed)?;
    let len = u32::from_be_bytes(header) as usize;
    if len > max {
        return Err(WireError::Misbehaved(Misbehaviour::BadMessage));
    }
    let mut body = vec![0u8; len];
    tokio::time::timeout(FRAME_BODY_TIMEOUT, recv.read_exact(&mut body))
        .await
        .map_err(|_| WireError::Misbehaved(Misbehaviour::Unresponsive))?
        .map_err(|_| WireError::Closed)?;
    Ok(body)
}

/// Seals and writes outgoing session messages.
pub(crate) struct Writer {
    send: SendStream,
    sealer: FrameSealer,
}

impl Writer {
    pub(crate) fn new(send: SendStream, sealer: FrameSealer) -> Self {
        Writer { send, sealer }
    }

    /// Sends a sync message, split into frames. Returns the bytes put on the wire.
    pub(crate) async fn sync(&mut self, message: &[u8]) -> Result<usize, WireError> {
        let part_len = MAX_FRAME_PLAINTEXT - 1;
        let mut parts = message.chunks(part_len).peekable();
        let mut wire = 0;
        if parts.peek().is_none() {
            return self.frame(LAST_PART, &[]).await;
        }
        while let Some(part) = parts.next() {
            let kind = if parts.peek().is_some() {
                PART
            } else {
                LAST_PART
            };
            wire += self.frame(kind, part).await?;
        }
        Ok(wire)
    }

    pub(crate) async fn ping(&mut self) -> Result<usize, WireError> {
        self.frame(PING, &[]).await
    }

    pub(crate) async fn pong(&mut self) -> Result<usize, WireError> {
        self.frame(PONG, &[]).await
    }

    async fn frame(&mut self, kind: u8, payload: &[u8]) -> Result<usize, WireError> {
        let mut plain = Vec::with_capacity(payload.len() + 1);
        plain.push(kind);
        plain.extend_from_slice(payload);
        let sealed = self.sealer.seal(&plain).map_err(WireError::Seal)?;
        self.send
            .write_all(&sealed)
            .await
            .map_err(|_| WireError::Closed)?;
        Ok(sealed.len())
    }

    /// Ends the stream politely.
    pub(crate) fn finish(mut self) {
        let _ = self.send.finish();
    }
}

/// Reads and opens incoming session messages.
pub(crate) struct Reader {
    recv: RecvStream,
    opener: FrameOpener,
    partial: Vec<u8>,
    body_timeout: Duration,
}

impl Reader {
    /// Reads from `recv`; each frame's body must arrive within `body_timeout` of its length.
    pub(crate) fn new(recv: RecvStream, opener: FrameOpener, body_timeout: Duration) -> Self {
        Reader {
            recv,
            opener,
            partial: Vec::new(),
            body_timeout,
        }
    }

    /// The next whole message, and the bytes it took on the wire.
    pub(crate) async fn next(&mut self) -> Result<(Incoming, usize), WireError> {
        let mut wire = 0;
        loop {
            let mut header = [0u8; FRAME_HEADER_LEN];
            self.recv
                .read_exact(&mut header)
                .await
                .map_err(|_| WireError::Closed)?;
            let len = frame::frame_body_len(header)
                .map_err(|_| WireError::Misbehaved(Misbehaviour::BadFrame))?;
            let mut body = vec![0u8; len];
            tokio::time::timeout(self.body_timeout, self.recv.read_exact(&mut body))
                .await
                .map_err(|_| WireError::Misbehaved(Misbehaviour::Unresponsive))?
                .map_err(|_| WireError::Closed)?;
            wire += FRAME_HEADER_LEN + len;
            let plain = self
                .opener
                .open(&body)
                .map_err(|_| WireError::Misbehaved(Misbehaviour::BadFrame))?;
            let (&kind, payload) = plain
                .split_first()
                .ok_or(WireError::Misbehaved(Misbehaviour::BadMessage))?;
            match kind {
                PART | LAST_PART => {
                    if self.partial.len() + payload.len() > MAX_SYNC_MESSAGE {
                        return Err(WireError::Misbehaved(Misbehaviour::BadMessage));
                    }
                    self.partial.extend_from_slice(payload);
                    if kind == LAST_PART {
                        return Ok((Incoming::Sync(std::mem::take(&mut self.partial)), wire));
                    }
                }
                PING if payload.is_empty() && self.partial.is_empty() => {
                    return Ok((Incoming::Ping, wire));
                }
                PONG if payload.is_empty() && self.partial.is_empty() => {
                    return Ok((Incoming::Pong, wire));
                }
                _ => return Err(WireError::Misbehaved(Misbehaviour::BadMessage)),
            }
        }
    }
}
