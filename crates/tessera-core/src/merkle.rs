//! Merkle trees over SHA-256 for batch signatures: one Ed25519 signature over the root of a
//! tree covers every document in the batch, and each document carries the audit path that
//! leads from its own leaf to that root (as Roughtime signs batches of requests).
//!
//! The shape and hashing are those of RFC 9162 (Certificate Transparency 2.0), section 2.1:
//! leaves and inner nodes are hashed with different prefixes (`0x00`, `0x01`), so no inner
//! node can pass as a leaf; a tree of `n` leaves splits at the largest power of two below
//! `n`; an audit path lists the sibling hashes from the leaf up. Building level by level and
//! carrying an unpaired last node up unchanged makes exactly that tree.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The hash of a leaf whose data is the concatenation of `parts`.
pub fn leaf_hash(parts: &[&[u8]]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    for part in parts {
        h.update(part);
    }
    h.finalize().into()
}

/// The hash of an inner node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([0x01]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// A whole tree, kept level by level (leaves first, the root last) to hand out audit paths.
#[derive(Debug, Clone)]
pub struct Tree {
    levels: Vec<Vec<Hash>>,
}

impl Tree {
    /// The tree over `leaves` (leaf hashes, in order). None when there are none.
    pub fn new(leaves: Vec<Hash>) -> Option<Tree> {
        if leaves.is_empty() {
            return None;
        }
        let mut levels = vec![leaves];
        while let Some(below) = levels.last().filter(|l| l.len() > 1) {
            let above = below
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => node_hash(left, right),
                    [single] => *single,
                    _ => unreachable!("chunks of two"),
                })
                .collect();
            levels.push(above);
        }
        Some(Tree { levels })
    }

    /// How many leaves.
    pub fn size(&self) -> usize {
        self.levels[0].len()
    }

    pub fn root(&self) -> Hash {
        self.levels[self.levels.len() - 1][0]
    }

    /// The audit path of leaf `index`: the sibling hashes from the leaf level up, skipping
    /// the levels where the node on the way has no sibling. Panics when `index` is not a leaf.
    pub fn path(&self, index: usize) -> Vec<Hash> {
        assert!(index < self.size(), "leaf {index} of {}", self.size());
        let mut path = Vec::with_capacity(self.levels.len() - 1);
        let mut i = index;
        for level in &self.levels[..self.levels.len() - 1] {
            if let Some(sibling) = level.get(i ^ 1) {
                path.push(*sibling);
            }
            i /= 2;
        }
        path
    }
}

/// The root that leaf `leaf` at `index` of a tree of `size` leaves leads to along `path`
/// (RFC 9162, 2.1.3.2). None when the path cannot belong to such a tree (wrong length, index
/// out of range). The caller compares the root with a signed one.
pub fn root_from_path(leaf: Hash, index: u64, size: u64, path: &[Hash]) -> Option<Hash> {
    if index >= size {
        return None;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut r = leaf;
    for p in path {
        if s == 0 {
            return None;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    (s == 0).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n)
            .map(|i| leaf_hash(&[b"doc", &i.to_be_bytes()]))
            .collect()
    }

    /// The tree hash as RFC 9162 defines it, recursively, to check the level-wise build.
    fn mth(leaves: &[Hash]) -> Hash {
        if leaves.len() == 1 {
            return leaves[0];
        }
        let k = leaves.len().next_power_of_two() / 2;
        node_hash(&mth(&leaves[..k]), &mth(&leaves[k..]))
    }

    /// The audit path as RFC 9162 (2.1.3.1) defines it, recursively.
    fn rfc_path(m: usize, leaves: &[Hash]) -> Vec<Hash> {
        if leaves.len() == 1 {
            return Vec::new();
        }
        let k = leaves.len().next_power_of_two() / 2;
        if m < k {
            let mut p = rfc_path(m, &leaves[..k]);
            p.push(mth(&leaves[k..]));
            p
        } else {
            let mut p = rfc_path(m - k, &leaves[k..]);
            p.push(mth(&leaves[..k]));
            p
        }
    }

    #[test]
    fn the_paths_are_the_rfc_9162_paths() {
        for n in 1..=40 {
            let l = leaves(n);
            let tree = Tree::new(l.clone()).unwrap();
            for i in 0..n {
                assert_eq!(tree.path(i), rfc_path(i, &l), "leaf {i} of {n}");
            }
        }
    }

    #[test]
    fn the_tree_is_the_rfc_9162_tree() {
        for n in 1..=40 {
            let l = leaves(n);
            assert_eq!(Tree::new(l.clone()).unwrap().root(), mth(&l), "{n} leaves");
        }
        assert!(Tree::new(Vec::new()).is_none());
    }

    #[test]
    fn every_path_leads_to_the_root() {
        for n in 1..=40usize {
            let l = leaves(n);
            let tree = Tree::new(l.clone()).unwrap();
            for (i, leaf) in l.iter().enumerate() {
                let path = tree.path(i);
                assert!(path.len() <= 6, "{n} leaves: a path of {}", path.len());
                assert_eq!(
                    root_from_path(*leaf, i as u64, n as u64, &path),
                    Some(tree.root()),
                    "leaf {i} of {n}"
                );
            }
        }
    }

    #[test]
    fn a_single_leaf_is_its_own_root() {
        let l = leaves(1);
        let tree = Tree::new(l.clone()).unwrap();
        assert_eq!(tree.root(), l[0]);
        assert!(tree.path(0).is_empty());
        assert_eq!(root_from_path(l[0], 0, 1, &[]), Some(l[0]));
    }

    #[test]
    fn a_path_proves_only_its_own_leaf_place_and_tree() {
        let l = leaves(13);
        let tree = Tree::new(l.clone()).unwrap();
        let root = tree.root();
        for i in 0..13usize {
            let path = tree.path(i);
            let at = |leaf, index, size, path: &[Hash]| root_from_path(leaf, index, size, path);
            // Another leaf or another place: another root, or no root at all. (Another tree
            // size may lead to the same root: the size is signed with the root.)
            assert_ne!(at(l[(i + 1) % 13], i as u64, 13, &path), Some(root));
            assert_ne!(at(l[i], ((i + 1) % 13) as u64, 13, &path), Some(root));
            // A changed or missing sibling.
            for k in 0..path.len() {
                let mut bent = path.clone();
                bent[k][0] ^= 1;
                assert_ne!(at(l[i], i as u64, 13, &bent), Some(root));
                let mut short = path.clone();
                short.remove(k);
                assert_ne!(at(l[i], i as u64, 13, &short), Some(root));
            }
            let mut long = path.clone();
            long.push(root);
            assert_eq!(at(l[i], i as u64, 13, &long), None);
            assert_eq!(at(l[i], 13, 13, &path), None);
            // Too short a path is no path: not even a wrong root comes out.
            assert_eq!(at(l[i], i as u64, 13, &path[..path.len() - 1]), None);
            assert_eq!(at(l[i], i as u64, 13, &[]), None);
        }
        assert_eq!(root_from_path(l[0], 0, 0, &[]), None);
    }

    #[test]
    fn the_largest_batch_has_a_path_of_32() {
        // Leaf 0 of u32::MAX leaves: 31 levels below the split at 2^31, plus the right half.
        let leaf = leaf_hash(&[b"x"]);
        let path = vec![leaf_hash(&[b"y"]); 32];
        assert!(root_from_path(leaf, 0, u64::from(u32::MAX), &path).is_some());
        assert_eq!(
            root_from_path(leaf, 0, u64::from(u32::MAX), &path[..31]),
            None
        );
        // The last leaf has no sibling at the bottom (an odd count): one hash fewer.
        let last = u64::from(u32::MAX) - 1;
        assert!(root_from_path(leaf, last, u64::from(u32::MAX), &path[..31]).is_some());
        assert_eq!(root_from_path(leaf, last, u64::from(u32::MAX), &path), None);
    }

    #[test]
    fn leaves_and_nodes_hash_apart() {
        let (a, b) = (leaf_hash(&[b"a"]), leaf_hash(&[b"b"]));
        let mut joined = Vec::new();
        joined.extend_from_slice(&a);
        joined.extend_from_slice(&b);
        // The same 64 bytes as a leaf and as a node give different hashes.
        assert_ne!(leaf_hash(&[&joined]), node_hash(&a, &b));
        // Parts are concatenated: how they are split does not matter.
        assert_eq!(leaf_hash(&[b"ab", b"c"]), leaf_hash(&[b"a", b"bc"]));
    }
}
