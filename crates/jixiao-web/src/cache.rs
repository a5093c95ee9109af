//! Aggregates over the whole corpus (the dashboard, the publisher list), computed once per corpus
//! version and shared by every request until the corpus changes.
//!
//! The version comes from the database ([`jixiao_store::Store::corpus_version`]), not from this
//! process, so an import by `jixiao import` in another process, or by another server on the same
//! PostgreSQL database, makes the cache stale as surely as a save or a review here does.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use jixiao_store::CorpusVersion;

/// More keys than this (each filter is a key, and filters come from URLs) and the cache starts over.
const MAX_ENTRIES: usize = 256;

type Value = Arc<dyn Any + Send + Sync>;
type Slot = Arc<tokio::sync::Mutex<Option<(CorpusVersion, Value)>>>;

/// Computed aggregates by key, each valid for the corpus version it was computed at.
#[derive(Default)]
pub struct AggregateCache {
    slots: Mutex<HashMap<String, Slot>>,
}

impl std::fmt::Debug for AggregateCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let entries = self.slots.lock().map_or(0, |slots| slots.len());
        f.debug_struct("AggregateCache")
            .field("entries", &entries)
            .finish()
    }
}

impl AggregateCache {
    /// The value under `key` computed at `version`, computing it with `compute` when there is
    /// none. Requests for the same key wait for one computation rather than each running their
    /// own (under load, a stale dashboard is asked for many times before the first answer).
    pub async fn get_or_compute<T, E, F, Fut>(
        &self,
        key: String,
        version: CorpusVersion,
        compute: F,
    ) -> Result<Arc<T>, E>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|p| p.into_inner());
            if slots.len() >= MAX_ENTRIES && !slots.contains_key(&key) {
                slots.clear();
            }
            Arc::clone(slots.entry(key).or_default())
        };
        let mut entry = slot.lock().await;
        if let Some((at, value)) = entry.as_ref()
            && *at == version
            && let Ok(value) = Arc::clone(value).downcast::<T>()
        {
            return Ok(value);
        }
        let value = Arc::new(compute().await?);
        *entry = Some((version, Arc::clone(&value) as Value));
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(generation: i64) -> CorpusVersion {
        CorpusVersion {
            generation,
            ..CorpusVersion::default()
        }
    }

    #[tokio::test]
    async fn computes_once_per_version_and_again_when_the_corpus_changes() {
        let cache = AggregateCache::default();
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let compute = |n: usize| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok::<_, ()>(n) }
        };
        let first = cache
            .get_or_compute("k".into(), version(1), || compute(1))
            .await;
        let again = cache
            .get_or_compute("k".into(), version(1), || compute(2))
            .await;
        assert_eq!((*first.unwrap(), *again.unwrap()), (1, 1));
        let changed = cache
            .get_or_compute("k".into(), version(2), || compute(3))
            .await;
        assert_eq!(*changed.unwrap(), 3);
        let other_key = cache
            .get_or_compute("j".into(), version(2), || compute(4))
            .await;
        assert_eq!(*other_key.unwrap(), 4);
        assert_eq!(calls.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_error_is_not_cached() {
        let cache = AggregateCache::default();
        let failed = cache
            .get_or_compute("k".into(), version(1), || async { Err::<usize, _>("down") })
            .await;
        assert!(failed.is_err());
        let value = cache
            .get_or_compute("k".into(), version(1), || async { Ok::<_, &str>(7) })
            .await;
        assert_eq!(*value.unwrap(), 7);
    }

    #[tokio::test]
    async fn keys_are_bounded() {
        let cache = AggregateCache::default();
        for i in 0..(MAX_ENTRIES + 10) {
            let _ = cache
                .get_or_compute(format!("k{i}"), version(1), || async { Ok::<_, ()>(i) })
                .await;
        }
        assert!(cache.slots.lock().unwrap().len() <= MAX_ENTRIES);
    }
}
