//! The pacing gate: a TCP relay in front of the embedded broker, where every
//! client connects (the broker advertises the gate's address as its own).
//!
//! Why: the embedded broker keeps only the newest ~5 MB of each partition,
//! so a producer that runs further ahead of the pipeline than that has its
//! acknowledged input deleted unread. The gate holds back a Produce request
//! to a paced topic (the input) until the pipeline has read enough of the
//! partition that the request's bytes fit in the budget
//! (`embedded.max_lead_bytes`); the producer sees a slow broker, which every
//! Kafka client handles by waiting (backpressure, as a broker at its quota
//! does). Everything else passes unchanged.
//!
//! Shape: one accept thread; per client connection a request thread (reads
//! whole request frames, holds paced Produce requests, forwards) and a
//! response thread (streams response frames back, telling the pacer which
//! Produce requests were answered). Order within a connection is kept: a
//! held request holds the requests behind it, as the protocol requires. A
//! client that gives up while its request is held (its request timed out
//! and it closed the connection) has the request dropped, never forwarded
//! late. Stopping the gate closes every connection.

use super::pace::{Pacer, Position};
use super::wire::{self, Append};
use crate::metrics::names;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Where the pipeline reads a partition next (`None`: not known now).
pub type ReadPosition = Box<dyn Fn(&str, i32) -> Option<i64> + Send + Sync>;
/// A partition's high watermark, from the broker (`None`: the query failed).
pub type HighWatermark = Box<dyn Fn(&str, i32) -> Option<i64> + Send + Sync>;

/// The largest request frame relayed (Kafka's `socket.request.max.bytes`).
const MAX_REQUEST_BYTES: usize = 100 * 1024 * 1024;
/// How often a held request is looked at again.
const RECHECK: Duration = Duration::from_millis(5);

struct Inner {
    upstream: SocketAddr,
    stop: AtomicBool,
    pacer: Mutex<Pacer>,
    reads: OnceLock<ReadPosition>,
    high: HighWatermark,
    /// A handle of every open socket, so stopping can close them.
    conns: Mutex<Vec<TcpStream>>,
}

/// The running gate; dropping it closes every connection.
pub struct Gate {
    addr: SocketAddr,
    inner: Arc<Inner>,
    accept: Option<JoinHandle<()>>,
}

impl Gate {
    /// Listens on 127.0.0.1 (a free port) and relays to `upstream`.
    pub fn start(upstream: SocketAddr, pacer: Pacer, high: HighWatermark) -> io::Result<Gate> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let inner = Arc::new(Inner {
            upstream,
            stop: AtomicBool::new(false),
            pacer: Mutex::new(pacer),
            reads: OnceLock::new(),
            high,
            conns: Mutex::new(Vec::new()),
        });
        let accept = {
            let inner = inner.clone();
            std::thread::Builder::new()
                .name("newsflow-gate".into())
                .spawn(move || accept_loop(&listener, &inner))?
        };
        Ok(Gate {
            addr,
            inner,
            accept: Some(accept),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// From now on the pipeline's read positions pace the producers (until
    /// then nothing is known to be read: every partition counts from 0).
    pub fn follow_reads(&self, reads: ReadPosition) {
        let _ = self.inner.reads.set(reads);
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        for c in self.inner.conns.lock().unwrap().drain(..) {
            let _ = c.shutdown(Shutdown::Both);
        }
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, inner: &Arc<Inner>) {
    while !inner.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((client, _)) => {
                if let Err(e) = relay(client, inner) {
                    tracing::warn!(error = %e, "embedded broker gate: cannot relay a connection");
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                tracing::warn!(error = %e, "embedded broker gate: accept failed");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Produce requests forwarded on one connection and not answered yet, by
/// correlation id.
type Awaited = Arc<Mutex<HashMap<i32, Vec<Append>>>>;

fn relay(client: TcpStream, inner: &Arc<Inner>) -> io::Result<()> {
    client.set_nonblocking(false)?;
    client.set_nodelay(true)?;
    let upstream = TcpStream::connect(inner.upstream)?;
    upstream.set_nodelay(true)?;
    {
        let mut conns = inner.conns.lock().unwrap();
        conns.retain(|c| c.peer_addr().is_ok());
        conns.push(client.try_clone()?);
        conns.push(upstream.try_clone()?);
    }
    let awaited = Awaited::default();
    let (c, u, i, a) = (
        client.try_clone()?,
        upstream.try_clone()?,
        inner.clone(),
        awaited.clone(),
    );
    std::thread::Builder::new()
        .name("newsflow-gate-req".into())
        .spawn(move || {
            let _ = requests(&c, &u, &i, &a);
            close(&c, &u);
        })?;
    let inner = inner.clone();
    std::thread::Builder::new()
        .name("newsflow-gate-resp".into())
        .spawn(move || {
            let _ = responses(&upstream, &client, &inner, &awaited);
            close(&client, &upstream);
            // Whatever was not answered is in the high watermark or nowhere.
            let mut pacer = inner.pacer.lock().unwrap();
            for a in awaited.lock().unwrap().drain().flat_map(|(_, v)| v) {
                pacer.answered(&a);
            }
        })?;
    Ok(())
}

fn close(a: &TcpStream, b: &TcpStream) {
    let _ = a.shutdown(Shutdown::Both);
    let _ = b.shutdown(Shutdown::Both);
}

/// Client to broker: whole frames, paced Produce requests held.
fn requests(
    client: &TcpStream,
    upstream: &TcpStream,
    inner: &Inner,
    awaited: &Awaited,
) -> io::Result<()> {
    let (mut from, mut to) = (client, upstream);
    let mut frame = Vec::new();
    loop {
        let mut size = [0u8; 4];
        from.read_exact(&mut size)?;
        let n = usize::try_from(i32::from_be_bytes(size))
            .ok()
            .filter(|n| *n <= MAX_REQUEST_BYTES)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "request size"))?;
        frame.resize(n, 0);
        from.read_exact(&mut frame)?;
        match wire::produce_appends(&frame) {
            Ok(Some(produce)) => {
                if !admit(inner, client, &produce, awaited) {
                    return Ok(());
                }
            }
            Ok(None) => {}
            Err(e) => {
                tracing::debug!(error = %e, "embedded broker gate: Produce request not read, forwarded unpaced")
            }
        }
        to.write_all(&size)?;
        to.write_all(&frame)?;
    }
}

/// Waits until the request's paced appends fit, then books them as
/// forwarded. False: the gate stops or the client left; drop the request.
fn admit(inner: &Inner, client: &TcpStream, produce: &wire::Produce, awaited: &Awaited) -> bool {
    let paced: Vec<Append> = {
        let pacer = inner.pacer.lock().unwrap();
        pacer.paced(&produce.appends).into_iter().cloned().collect()
    };
    if paced.is_empty() {
        return true;
    }
    let answered = produce.acks != 0;
    let mut held: Option<Instant> = None;
    loop {
        {
            let mut pacer = inner.pacer.lock().unwrap();
            let fits = paced.iter().all(|a| {
                // Under the pacer's lock no answer can move `pending`, so the
                // watermark queried now counts every answered append.
                let at = Position {
                    high: (inner.high)(&a.topic, a.partition),
                    read: inner.reads.get().and_then(|r| r(&a.topic, a.partition)),
                };
                pacer.admits(a, at)
            });
            if fits {
                for a in &paced {
                    pacer.forwarded(a, answered);
                }
                if answered {
                    awaited
                        .lock()
                        .unwrap()
                        .insert(produce.correlation_id, paced);
                }
                if let Some(t) = held {
                    ::metrics::histogram!(names::EMBEDDED_PRODUCE_WAIT)
                        .record(t.elapsed().as_secs_f64());
                }
                return true;
            }
        }
        held.get_or_insert_with(Instant::now);
        if inner.stop.load(Ordering::SeqCst) || client_left(client) {
            return false;
        }
        std::thread::sleep(RECHECK);
    }
}

/// Whether the client closed its side (a peek that sees end of stream).
fn client_left(client: &TcpStream) -> bool {
    if client
        .set_read_timeout(Some(Duration::from_millis(1)))
        .is_err()
    {
        return true;
    }
    let mut b = [0u8; 1];
    let left = match client.peek(&mut b) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => !matches!(
            e.kind(),
            io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
        ),
    };
    left || client.set_read_timeout(None).is_err()
}

/// Broker to client: frames streamed through; an answered Produce request
/// leaves the pacer's pending count.
fn responses(
    upstream: &TcpStream,
    client: &TcpStream,
    inner: &Inner,
    awaited: &Awaited,
) -> io::Result<()> {
    let (mut from, mut to) = (upstream, client);
    loop {
        let mut head = [0u8; 8];
        from.read_exact(&mut head)?;
        let n = i32::from_be_bytes(head[..4].try_into().unwrap());
        let rest = u64::try_from(n)
            .ok()
            .and_then(|n| n.checked_sub(4))
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "response size"))?;
        let correlation = wire::response_correlation(&head[4..]).unwrap_or(0);
        // The pacer's lock is taken after this one is released (`admit`
        // takes them the other way round).
        let answered = awaited.lock().unwrap().remove(&correlation);
        if let Some(appends) = answered {
            let mut pacer = inner.pacer.lock().unwrap();
            for a in &appends {
                pacer.answered(a);
            }
        }
        to.write_all(&head)?;
        let copied = io::copy(&mut (&mut from).take(rest), &mut to)?;
        if copied < rest {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
    }
}
