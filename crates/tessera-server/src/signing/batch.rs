//! Signing validation responses in batches: the requests that arrive together share one
//! Ed25519 signature over the root of a Merkle tree of their payloads, and each response
//! carries its audit path (`docs/license-format.md`). An Ed25519 signature costs about as much
//! CPU as the rest of a validation; a batch of n costs one signature and n small hashes.
//!
//! No request waits for a batch to fill. The first request of a batch schedules a flush as a
//! task that first yields, so it runs once the requests already in the runtime's queues
//! have joined; then it signs whatever has come and answers every waiter. Alone, a request
//! is a batch of one, signed at once. Under load, the requests that reached the server in
//! the same moment become one batch.
//!
//! The flush is its own task, not part of any request: a client that hangs up cannot leave
//! the others of its batch unanswered. A flush task dropped before it ran (the runtime shutting
//! down) still signs and answers, from its destructor.

use std::sync::{Arc, Mutex};

use tessera_core::license::{Salt, SignedBatch, batch_leaf, sign_batch};
use tessera_core::merkle::Hash;
use tessera_core::{DocumentKind, SignedDocument};
use tokio::sync::oneshot;

use crate::signing::KeySet;

/// Signs documents of one kind in batches. One per server instance.
pub struct BatchSigner {
    kind: DocumentKind,
    queue: Mutex<Queue>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Waiting>,
    /// A flush task is on its way and will take everything in `waiting`.
    flush_scheduled: bool,
}

struct Waiting {
    /// The keys the payload was made with: its `key_id` names their active key.
    keys: Arc<KeySet>,
    leaf: Hash,
    reply: oneshot::Sender<Reply>,
}

/// A waiter's share of a signed batch.
struct Reply {
    batch: Arc<SignedBatch>,
    index: usize,
}

/// The batch was never signed: its flush panicked.
#[derive(Debug, thiserror::Error)]
#[error("the signing batch was dropped before it was signed")]
pub struct BatchDropped;

/// Flushes when dropped: after its yield, or unpolled when the runtime drops the task.
struct FlushOnDrop(Arc<BatchSigner>);

impl Drop for FlushOnDrop {
    fn drop(&mut self) {
        self.0.flush();
    }
}

impl BatchSigner {
    pub fn new(kind: DocumentKind) -> Arc<Self> {
        assert!(
            kind.batched(),
            "{} is not signed in batches",
            kind.type_name()
        );
        Arc::new(BatchSigner {
            kind,
            queue: Mutex::new(Queue::default()),
        })
    }

    /// Signs `payload`, whose `key_id` is the active key of `keys`, in the next batch.
    pub async fn sign(
        self: &Arc<Self>,
        keys: Arc<KeySet>,
        payload: &[u8],
    ) -> Result<SignedDocument, BatchDropped> {
        let salt: Salt = rand::random();
        let leaf = batch_leaf(self.kind, &salt, payload);
        let key_id = keys.active().key_id.clone();
        let (reply, answer) = oneshot::channel();
        let first = {
            let mut queue = self.queue.lock().expect("batch queue lock");
            queue.waiting.push(Waiting { keys, leaf, reply });
            !std::mem::replace(&mut queue.flush_scheduled, true)
        };
        if first {
            let flush = FlushOnDrop(Arc::clone(self));
            tokio::spawn(async move {
                // Back of the queue: the requests already waiting to run join this batch.
                tokio::task::yield_now().await;
                drop(flush);
            });
        }
        let Reply { batch, index } = answer.await.map_err(|_| BatchDropped)?;
        Ok(batch.document(self.kind, &key_id, payload, &salt, index))
    }

    /// Signs everything waiting, one batch per signing key (a rotation can fall between two
    /// requests of a batch), and answers each waiter.
    fn flush(&self) {
        let mut waiting = {
            let mut queue = self.queue.lock().expect("batch queue lock");
            queue.flush_scheduled = false;
            std::mem::take(&mut queue.waiting)
        };
        metrics::counter!("tessera_signature_batch_documents_total")
            .increment(waiting.len() as u64);
        while !waiting.is_empty() {
            let keys = Arc::clone(&waiting[0].keys);
            let key = keys.active();
            let (same, rest): (Vec<Waiting>, Vec<Waiting>) = waiting
                .into_iter()
                .partition(|w| w.keys.active().key_id == key.key_id);
            waiting = rest;
            let leaves = same.iter().map(|w| w.leaf).collect();
            let batch = Arc::new(sign_batch(self.kind, &key.signing_key, leaves));
            metrics::counter!("tessera_signature_batches_total").increment(1);
            for (index, w) in same.into_iter().enumerate() {
                // A waiter that is gone (its client hung up) needs no answer.
                let _ = w.reply.send(Reply {
                    batch: Arc::clone(&batch),
                    index,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::task::{Context, Waker};

    use tessera_core::license::verify;

    use super::*;

    fn trusting(
        keys: &[&Arc<KeySet>],
    ) -> impl Fn(&str) -> Option<ed25519_dalek::VerifyingKey> + use<> {
        let known: Vec<_> = keys
            .iter()
            .map(|k| {
                let a = k.active();
                (a.key_id.clone(), a.signing_key.verifying_key())
            })
            .collect();
        move |id| known.iter().find(|(k, _)| k == id).map(|(_, v)| *v)
    }

    fn payload(i: usize) -> Vec<u8> {
        format!(r#"{{"n":{i}}}"#).into_bytes()
    }

    /// Requests that are ready to run together are signed together: on one thread, ten
    /// spawned requests all join the batch before its flush runs.
    #[tokio::test]
    async fn requests_that_come_together_share_one_signature() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let keys = KeySet::generated();
        let tasks: Vec<_> = (0..10)
            .map(|i| {
                let (signer, keys) = (Arc::clone(&signer), Arc::clone(&keys));
                tokio::spawn(async move { signer.sign(keys, &payload(i)).await.unwrap() })
            })
            .collect();
        let mut docs = Vec::new();
        for t in tasks {
            docs.push(t.await.unwrap());
        }
        let trust = trusting(&[&keys]);
        let mut indices: Vec<u32> = Vec::new();
        for (i, doc) in docs.iter().enumerate() {
            assert_eq!(
                verify(doc, DocumentKind::Validation, &trust).unwrap(),
                payload(i)
            );
            let proof = doc.batch.as_ref().unwrap();
            assert_eq!(proof.size, 10);
            assert_eq!(doc.signature, docs[0].signature);
            indices.push(proof.index);
        }
        indices.sort_unstable();
        assert_eq!(indices, (0..10).collect::<Vec<u32>>());
    }

    #[tokio::test]
    async fn a_request_alone_is_a_batch_of_one() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let keys = KeySet::generated();
        for i in 0..3 {
            let doc = signer.sign(Arc::clone(&keys), &payload(i)).await.unwrap();
            let proof = doc.batch.as_ref().unwrap();
            assert_eq!((proof.size, proof.index), (1, 0));
            assert!(verify(&doc, DocumentKind::Validation, trusting(&[&keys])).is_ok());
        }
    }

    /// A client that hangs up after its request joined a batch does not hold up the others.
    #[tokio::test]
    async fn a_waiter_that_gave_up_does_not_stall_its_batch() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let keys = KeySet::generated();
        let first = payload(0);
        let mut gone = Box::pin(signer.sign(Arc::clone(&keys), &first));
        assert!(
            gone.as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending()
        );
        drop(gone);
        let doc = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            signer.sign(Arc::clone(&keys), &payload(1)),
        )
        .await
        .expect("answered")
        .unwrap();
        assert_eq!(doc.batch.as_ref().unwrap().size, 2);
        assert_eq!(
            verify(&doc, DocumentKind::Validation, trusting(&[&keys])).unwrap(),
            payload(1)
        );
    }

    /// Many requests at once on a runtime of two workers: every answer verifies on its own,
    /// and no two answers under one signature claim the same leaf.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_requests_on_two_threads_all_get_their_own_leaf() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let keys = KeySet::generated();
        let tasks: Vec<_> = (0..400)
            .map(|i| {
                let (signer, keys) = (Arc::clone(&signer), Arc::clone(&keys));
                tokio::spawn(async move { signer.sign(keys, &payload(i)).await.unwrap() })
            })
            .collect();
        let trust = trusting(&[&keys]);
        let mut leaves = std::collections::HashMap::<String, Vec<u32>>::new();
        for (i, t) in tasks.into_iter().enumerate() {
            let doc = t.await.unwrap();
            assert_eq!(
                verify(&doc, DocumentKind::Validation, &trust).unwrap(),
                payload(i)
            );
            let proof = doc.batch.unwrap();
            assert!(proof.index < proof.size);
            leaves.entry(doc.signature).or_default().push(proof.index);
        }
        let mut documents = 0;
        for indices in leaves.values_mut() {
            let n = indices.len();
            indices.sort_unstable();
            indices.dedup();
            assert_eq!(indices.len(), n, "a leaf answered twice");
            documents += n;
        }
        assert_eq!(documents, 400);
    }

    /// The runtime dropping a flush task that never ran still answers its batch.
    #[test]
    fn a_flush_dropped_unrun_still_answers() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let keys = KeySet::generated();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let first = payload(0);
        let mut waiting = Box::pin(signer.sign(Arc::clone(&keys), &first));
        // Joined the queue and spawned the flush, which has not run yet.
        let _guard = runtime.enter();
        assert!(
            waiting
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()))
                .is_pending()
        );
        drop(_guard);
        drop(runtime);
        let doc = match waiting
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            std::task::Poll::Ready(answer) => answer.unwrap(),
            std::task::Poll::Pending => panic!("the dropped flush left its batch waiting"),
        };
        assert!(verify(&doc, DocumentKind::Validation, trusting(&[&keys])).is_ok());
        assert!(!signer.queue.lock().unwrap().flush_scheduled);
    }

    /// A rotation between two requests of a batch: each is signed by the key its payload
    /// names, in a batch of its own key.
    #[tokio::test]
    async fn a_batch_across_a_rotation_is_signed_per_key() {
        let signer = BatchSigner::new(DocumentKind::Validation);
        let (old, new) = (KeySet::generated(), KeySet::generated());
        let tasks: Vec<_> = (0..6)
            .map(|i| {
                let signer = Arc::clone(&signer);
                let keys = Arc::clone(if i % 2 == 0 { &old } else { &new });
                tokio::spawn(async move { signer.sign(keys, &payload(i)).await.unwrap() })
            })
            .collect();
        let trust = trusting(&[&old, &new]);
        for (i, t) in tasks.into_iter().enumerate() {
            let doc = t.await.unwrap();
            let keys = if i % 2 == 0 { &old } else { &new };
            assert_eq!(doc.key_id, keys.active().key_id);
            assert_eq!(doc.batch.as_ref().unwrap().size, 3);
            assert_eq!(
                verify(&doc, DocumentKind::Validation, &trust).unwrap(),
                payload(i)
            );
        }
    }
}
