//! Connection slots of the HTTP server: a cap on open connections, and room made at the
//! cap by closing the connection that has waited longest without sending a request.

use std::collections::{HashMap, HashSet};
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// The open connections: how many, and which of them wait for a request without having
/// sent a byte of it (those may be closed to make room).
struct Conns {
    open: usize,
    next_id: u64,
    idle: HashMap<u64, (Instant, Arc<TcpStream>)>,
    /// Closed to make room and no longer counted, though their threads may still run.
    evicted: HashSet<u64>,
}

pub(crate) struct Slots {
    conns: Mutex<Conns>,
    freed: Condvar,
    max: usize,
}

/// How long a new connection waits for a slot while every open one is busy.
const SLOT_WAIT: Duration = Duration::from_millis(250);

impl Slots {
    pub(crate) fn new(max: usize) -> Arc<Slots> {
        Arc::new(Slots {
            conns: Mutex::new(Conns {
                open: 0,
                next_id: 0,
                idle: HashMap::new(),
                evicted: HashSet::new(),
            }),
            freed: Condvar::new(),
            max: max.max(1),
        })
    }

    /// A slot for a new connection. At the cap the connection idle the longest is closed
    /// to make room: idle sockets never keep a request out. When none is idle, waits
    /// [`SLOT_WAIT`] for one to close.
    pub(crate) fn acquire(self: &Arc<Self>) -> Option<Permit> {
        let mut c = self.conns.lock().ok()?;
        let until = Instant::now() + SLOT_WAIT;
        while c.open >= self.max {
            let oldest = c
                .idle
                .iter()
                .min_by_key(|(_, (since, _))| *since)
                .map(|(id, _)| *id);
            if let Some(id) = oldest {
                if let Some((_, stream)) = c.idle.remove(&id) {
                    // Its thread sees the end of the stream and leaves; the slot is free now.
                    let _ = stream.shutdown(Shutdown::Both);
                    c.evicted.insert(id);
                    c.open = c.open.saturating_sub(1);
                }
                continue;
            }
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            c = self.freed.wait_timeout(c, left).ok()?.0;
        }
        c.open += 1;
        c.next_id += 1;
        Some(Permit {
            slots: Arc::clone(self),
            id: c.next_id,
        })
    }
}

/// Holds one of the open-connection slots until dropped.
pub(crate) struct Permit {
    slots: Arc<Slots>,
    id: u64,
}

impl Permit {
    /// Marks the connection as waiting for a request with nothing of it received yet.
    pub(crate) fn idle(&self, stream: &Arc<TcpStream>) {
        if let Ok(mut c) = self.slots.conns.lock() {
            c.idle.insert(self.id, (Instant::now(), Arc::clone(stream)));
        }
    }

    /// Marks the connection as busy with a request.
    pub(crate) fn busy(&self) {
        if let Ok(mut c) = self.slots.conns.lock() {
            c.idle.remove(&self.id);
        }
    }

    /// Whether the connection was closed to make room for another.
    pub(crate) fn evicted(&self) -> bool {
        self.slots
            .conns
            .lock()
            .map_or(true, |c| c.evicted.contains(&self.id))
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut c) = self.slots.conns.lock() {
            c.idle.remove(&self.id);
            if !c.evicted.remove(&self.id) {
                c.open = c.open.saturating_sub(1);
            }
        }
        self.slots.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{TcpListener, TcpStream};

    fn pair(l: &TcpListener) -> (TcpStream, Arc<TcpStream>) {
        let client = TcpStream::connect(l.local_addr().unwrap()).unwrap();
        let (server, _) = l.accept().unwrap();
        (client, Arc::new(server))
    }

    #[test]
    fn at_the_cap_the_longest_idle_connection_makes_room() {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let slots = Slots::new(2);
        let (_c1, s1) = pair(&l);
        let (_c2, s2) = pair(&l);
        let p1 = slots.acquire().unwrap();
        let p2 = slots.acquire().unwrap();
        p1.idle(&s1);
        p2.idle(&s2);
        p2.busy();
        let p3 = slots.acquire().expect("room made by closing the idle one");
        assert!(p1.evicted() && !p2.evicted() && !p3.evicted());
        let mut buf = [0u8; 1];
        assert_eq!(
            std::io::Read::read(&mut &*s1, &mut buf).unwrap_or(0),
            0,
            "closed"
        );
        // Nothing idle: no room until one closes.
        assert!(slots.acquire().is_none());
        drop(p1); // an evicted one frees nothing more
        assert!(slots.acquire().is_none());
        drop(p2);
        assert!(slots.acquire().is_some());
    }
}
