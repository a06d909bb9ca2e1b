//! A TCP proxy on 127.0.0.1:0 that forwards to the server and, when faults are on, cuts a
//! connection after a random number of bytes in either direction (mid-request or
//! mid-answer). The upstream address can change (a restarted server gets a new port).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Shared switches of the proxy.
#[derive(Debug)]
pub struct ProxyControl {
    upstream: Mutex<SocketAddr>,
    /// Whether connections are cut.
    pub faults: AtomicBool,
    /// Probability that a connection is cut somewhere.
    pub cut_probability: Mutex<f64>,
    rng: Mutex<StdRng>,
    /// Connections cut so far.
    pub cuts: AtomicU64,
}

/// A running proxy.
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    control: Arc<ProxyControl>,
    task: tokio::task::JoinHandle<()>,
}

impl FaultProxy {
    /// Starts a proxy to `upstream`.
    pub async fn start(upstream: SocketAddr, seed: u64) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let control = Arc::new(ProxyControl {
            upstream: Mutex::new(upstream),
            faults: AtomicBool::new(true),
            cut_probability: Mutex::new(0.3),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            cuts: AtomicU64::new(0),
        });
        let c = Arc::clone(&control);
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let c = Arc::clone(&c);
                tokio::spawn(async move {
                    let _ = forward(conn, c).await;
                });
            }
        });
        Ok(Self {
            addr,
            control,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The switches.
    pub fn control(&self) -> &Arc<ProxyControl> {
        &self.control
    }

    /// Points the proxy at a new server address.
    pub fn set_upstream(&self, addr: SocketAddr) {
        if let Ok(mut u) = self.control.upstream.lock() {
            *u = addr;
        }
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Byte budget of one direction (`None`: unlimited).
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut budget: Option<usize>,
) -> bool {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return false;
            }
            Ok(n) => n,
        };
        let n_send = budget.map_or(n, |b| n.min(b));
        if to.write_all(&buf[..n_send]).await.is_err() {
            return false;
        }
        if let Some(b) = budget.as_mut() {
            *b -= n_send;
            if *b == 0 {
                // Cut: drop both halves without a clean shutdown.
                return true;
            }
        }
    }
}

async fn forward(client: TcpStream, control: Arc<ProxyControl>) -> std::io::Result<()> {
    let upstream = control
        .upstream
        .lock()
        .map(|u| *u)
        .map_err(|_| std::io::Error::other("poisoned"))?;
    let (up_budget, down_budget) = {
        let faults = control.faults.load(Ordering::Relaxed);
        let p = control.cut_probability.lock().map(|p| *p).unwrap_or(0.0);
        let mut rng = control
            .rng
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        if faults && rng.gen_bool(p.clamp(0.0, 1.0)) {
            let at = rng.gen_range(1..4_000usize);
            if rng.gen_bool(0.5) {
                (Some(at), None)
            } else {
                (None, Some(at))
            }
        } else {
            (None, None)
        }
    };
    let server = TcpStream::connect(upstream).await?;
    let (cr, cw) = client.into_split();
    let (sr, sw) = server.into_split();
    let cut = tokio::select! {
        c = pump(cr, sw, up_budget) => c,
        c = pump(sr, cw, down_budget) => c,
    };
    if cut {
        control.cuts.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}
