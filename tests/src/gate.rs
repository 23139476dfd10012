//! A TCP proxy that can be shut: how the fault suite takes DynamoDB and SQS away for a
//! few seconds. moto keeps its data meanwhile, as AWS keeps yours through an outage;
//! restarting moto itself would lose every table and queue.

use std::net::SocketAddr;

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// Stops accepting when dropped.
struct Acceptor(tokio::task::AbortHandle);

impl Drop for Acceptor {
    fn drop(&mut self) {
        self.0.abort();
    }
}

pub struct Gate {
    addr: SocketAddr,
    open: watch::Sender<bool>,
    _acceptor: Acceptor,
}

impl Gate {
    /// Proxies a loopback port to `target`, open.
    pub async fn start(target: SocketAddr) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (open, watch) = watch::channel(true);
        let acceptor = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                let watch = watch.clone();
                if !*watch.borrow() {
                    // Shut: the connection is dropped at once, as a host that is down.
                    drop(client);
                    continue;
                }
                tokio::spawn(pipe(client, target, watch));
            }
        });
        Ok(Self {
            addr,
            open,
            _acceptor: Acceptor(acceptor.abort_handle()),
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Cuts every open connection and refuses new ones until [`Gate::open`].
    pub fn close(&self) {
        self.open.send_replace(false);
    }

    pub fn open(&self) {
        self.open.send_replace(true);
    }
}

async fn pipe(mut client: TcpStream, target: SocketAddr, mut open: watch::Receiver<bool>) {
    let Ok(mut server) = TcpStream::connect(target).await else {
        return;
    };
    tokio::select! {
        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
        _ = open.wait_for(|open| !*open) => {}
    }
}

#[cfg(test)]
mod tests {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    #[tokio::test]
    async fn passes_bytes_when_open_and_drops_connections_when_shut() {
        let echo = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = echo.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = echo.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 64];
                    while let Ok(n) = s.read(&mut buf).await {
                        if n == 0 || s.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        let gate = Gate::start(target).await.unwrap();
        let addr = gate.addr;
        let mut through = TcpStream::connect(addr).await.unwrap();
        through.write_all(b"ping").await.unwrap();
        let mut got = [0u8; 4];
        through.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"ping");
        gate.close();
        // The open connection is cut, and a new one gets nothing back.
        let mut rest = Vec::new();
        assert_eq!(through.read_to_end(&mut rest).await.unwrap_or(0), 0);
        let mut refused = TcpStream::connect(addr).await.unwrap();
        let _ = refused.write_all(b"ping").await;
        assert_eq!(refused.read(&mut got).await.unwrap_or(0), 0);
        gate.open();
        let mut again = TcpStream::connect(addr).await.unwrap();
        again.write_all(b"pong").await.unwrap();
        again.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"pong");
    }
}
