//! Key batches are filled in chunks so a client can show progress on 100 000 keys and an
//! interrupted batch can be resumed: each chunk is one transaction.

/// The largest batch an operator can order at once.
pub const MAX_BATCH_SIZE: u32 = 1_000_000;
/// The largest chunk one fill request generates.
pub const MAX_CHUNK: u32 = 50_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchProgress {
    pub requested: u32,
    pub generated: u32,
}

impl BatchProgress {
    pub fn is_complete(&self) -> bool {
        self.generated >= self.requested
    }

    /// How many keys the next fill should make when the caller asks for `wanted`.
    pub fn next_chunk(&self, wanted: u32) -> u32 {
        wanted
            .min(MAX_CHUNK)
            .min(self.requested.saturating_sub(self.generated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_stop_at_the_requested_count() {
        let p = BatchProgress {
            requested: 100_000,
            generated: 95_000,
        };
        assert_eq!(p.next_chunk(10_000), 5_000);
        assert_eq!(p.next_chunk(1_000), 1_000);
        assert_eq!(
            BatchProgress {
                requested: 200_000,
                generated: 0
            }
            .next_chunk(80_000),
            MAX_CHUNK
        );
        let done = BatchProgress {
            requested: 10,
            generated: 10,
        };
        assert!(done.is_complete());
        assert_eq!(done.next_chunk(5), 0);
    }
}
