//! The signed license and validation documents are domain types (`tessera_core::license`);
//! the API carries them as they are.

pub use tessera_core::license::{BatchProof, SignedDocument};

pub use tessera_core::offline::{
    OfflineRequest, RequestFile as OfflineRequestFile, RequestKind as OfflineRequestKind,
    ResponseFile as OfflineResponseFile,
};
