//! The floor under sync latency: a 64-byte echo between two iroh endpoints built the way the
//! node builds its own (loopback, no relay), in the same process and on the same runtime.

use std::time::Instant;

use anyhow::Context;
use iroh::endpoint::{Connection, presets};
use iroh::protocol::{AcceptError, ProtocolHandler, Router};
use iroh::{Endpoint, RelayMode};

use crate::fixture::any_port;
use crate::measure::Samples;

const ALPN: &[u8] = b"hearth-bench/echo/0";
const MESSAGE: usize = 64;
/// Round trips before measuring: the path and the congestion window settle.
const WARM_UP: usize = 20;

#[derive(Debug, Clone)]
struct Echo;

impl ProtocolHandler for Echo {
    async fn accept(&self, conn: Connection) -> Result<(), AcceptError> {
        let Ok((mut send, mut recv)) = conn.accept_bi().await else {
            return Ok(());
        };
        let mut buf = [0u8; MESSAGE];
        while recv.read_exact(&mut buf).await.is_ok() {
            if send.write_all(&buf).await.is_err() {
                break;
            }
        }
        Ok(())
    }
}

async fn endpoint() -> anyhow::Result<Endpoint> {
    Ok(Endpoint::builder(presets::Minimal)
        .relay_mode(RelayMode::Disabled)
        .clear_ip_transports()
        .bind_addr(any_port())?
        .alpns(vec![ALPN.to_vec()])
        .bind()
        .await?)
}

/// `samples` round trips of a 64-byte message on one stream, in milliseconds.
pub async fn round_trips(samples: usize) -> anyhow::Result<Samples> {
    let server = endpoint().await?;
    let client = endpoint().await?;
    let router = Router::builder(server.clone()).accept(ALPN, Echo).spawn();
    let conn = client
        .connect(server.addr(), ALPN)
        .await
        .context("connecting the echo endpoints")?;
    let (mut send, mut recv) = conn.open_bi().await?;
    let out = [7u8; MESSAGE];
    let mut back = [0u8; MESSAGE];
    let mut rtt = Samples::new();
    for i in 0..WARM_UP + samples {
        let start = Instant::now();
        send.write_all(&out).await?;
        recv.read_exact(&mut back).await?;
        if i >= WARM_UP {
            rtt.push_duration(start.elapsed());
        }
    }
    let _ = send.finish();
    conn.close(0u32.into(), b"done");
    router.shutdown().await?;
    client.close().await;
    Ok(rtt)
}
