//! Spreading independent jobs over the cores.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `f` on every item on the available cores, each worker taking the next item not yet
/// taken (so that a few long items do not leave a core idle). The results come in the items'
/// order, `None` for an item whose worker stopped before returning it.
pub fn in_order<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<Option<R>> {
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(items.len());
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    if workers <= 1 {
        for (slot, item) in out.iter_mut().zip(items) {
            *slot = Some(f(item));
        }
        return out;
    }
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                let (f, next) = (&f, &next);
                scope.spawn(move || {
                    let mut mine = Vec::new();
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(k) else { break };
                        mine.push((k, f(item)));
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            if let Ok(done) = h.join() {
                for (k, r) in done {
                    if let Some(slot) = out.get_mut(k) {
                        *slot = Some(r);
                    }
                }
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_items_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = in_order(&items, |x| x * x);
        assert_eq!(out.len(), 1000);
        assert!(out
            .iter()
            .enumerate()
            .all(|(i, r)| *r == Some((i * i) as u64)));
        assert!(in_order(&[] as &[u64], |x| *x).is_empty());
    }
}
