//! A static byte trie for anchored longest-match lookups: the dictionary
//! matcher asks, at each word start, "which is the longest name that the
//! text continues with here?".
//!
//! Why not an Aho-Corasick automaton: every search here is anchored, so the
//! failure links an Aho-Corasick build computes (most of its cost: ~0.2 s for
//! the ~44,000 names, paid at every start-up) are never followed. This trie
//! is built from the sorted names in one pass (children of a node are stored
//! side by side, sorted by byte), in a few tens of milliseconds, and a lookup
//! walks at most as far as the text shares a prefix with some name.

/// No pattern ends at this node.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// The pattern that ends here, or [`NONE`].
    pattern: u32,
    /// This node's children: `edges[first..first + len]`, sorted by byte.
    first: u32,
    len: u16,
}

/// Names (folded bytes) with their pattern index, sorted.
type Keys<'a> = [(&'a [u8], u32)];

#[derive(Debug, Default)]
pub struct Trie {
    nodes: Vec<Node>,
    /// (byte, child node), grouped by parent.
    edges: Vec<(u8, u32)>,
    /// The root's child for each first byte, or [`NONE`]: every lookup starts there, and the
    /// root has the most children.
    root: Vec<u32>,
}

impl Trie {
    /// Builds the trie of `patterns`; a lookup reports a pattern by its index
    /// in this slice. Of equal patterns the first is kept.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P]) -> Trie {
        let mut order: Vec<u32> = (0..patterns.len() as u32).collect();
        // (bytes, index) orders every pair, so an unstable sort is deterministic.
        order.sort_unstable_by(|&a, &b| {
            patterns[a as usize]
                .as_ref()
                .cmp(patterns[b as usize].as_ref())
                .then(a.cmp(&b))
        });
        let keys: Vec<(&[u8], u32)> = order
            .iter()
            .map(|&i| (patterns[i as usize].as_ref(), i))
            .collect();
        let mut t = Trie::default();
        t.nodes.push(Node {
            pattern: NONE,
            first: 0,
            len: 0,
        });
        t.fill(0, &keys, 0);
        t.root = vec![NONE; 256];
        let r = t.nodes[0];
        for &(b, child) in &t.edges[r.first as usize..][..r.len as usize] {
            t.root[b as usize] = child;
        }
        t
    }

    /// Fills node `at` from `keys` (sorted, all sharing their first `depth`
    /// bytes): its own pattern, then one child per distinct next byte.
    fn fill(&mut self, at: usize, keys: &Keys<'_>, depth: usize) {
        let mut rest = keys;
        if let Some(&(k, id)) = rest.first() {
            if k.len() == depth {
                self.nodes[at].pattern = id;
                // Sorted by (bytes, index): skip later copies of the same name.
                while rest.first().is_some_and(|(k, _)| k.len() == depth) {
                    rest = &rest[1..];
                }
            }
        }
        // One edge per distinct byte at `depth` (the keys are sorted, so each byte's keys are
        // consecutive), then each child filled from its group.
        let first = self.edges.len();
        for (b, _) in groups(rest, depth) {
            self.edges.push((b, NONE));
        }
        self.nodes[at].first = first as u32;
        self.nodes[at].len = (self.edges.len() - first) as u16;
        for (g, (b, group)) in groups(rest, depth).enumerate() {
            let child = self.nodes.len();
            self.nodes.push(Node {
                pattern: NONE,
                first: 0,
                len: 0,
            });
            self.edges[first + g] = (b, child as u32);
            self.fill(child, group, depth + 1);
        }
    }

    /// The longest pattern that `hay[start..]` begins with: (its end in
    /// `hay`, its index).
    pub fn longest_at(&self, hay: &[u8], start: usize) -> Option<(usize, usize)> {
        let root = self.nodes.first()?;
        let mut best = (root.pattern != NONE).then_some((start, root.pattern as usize));
        let &b = hay.get(start)?;
        let mut node = match self.root[b as usize] {
            NONE => return best,
            n => &self.nodes[n as usize],
        };
        let mut j = start + 1;
        loop {
            if node.pattern != NONE {
                best = Some((j, node.pattern as usize));
            }
            let Some(&b) = hay.get(j) else { break };
            let edges = &self.edges[node.first as usize..node.first as usize + node.len as usize];
            let next = if edges.len() <= 8 {
                edges.iter().find(|(e, _)| *e == b).map(|&(_, n)| n)
            } else {
                edges
                    .binary_search_by_key(&b, |&(e, _)| e)
                    .ok()
                    .map(|i| edges[i].1)
            };
            match next {
                Some(n) => node = &self.nodes[n as usize],
                None => break,
            }
            j += 1;
        }
        best
    }
}

/// `keys` (sorted, all longer than `depth`) grouped by their byte at `depth`.
fn groups<'k, 'a>(keys: &'k Keys<'a>, depth: usize) -> impl Iterator<Item = (u8, &'k Keys<'a>)> {
    let mut rest = keys;
    std::iter::from_fn(move || {
        let &(k, _) = rest.first()?;
        let b = k[depth];
        let n = rest.iter().take_while(|(k, _)| k[depth] == b).count();
        let (group, tail) = rest.split_at(n);
        rest = tail;
        Some((b, group))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_anchored_match_wins() {
        let t = Trie::new(&["new york", "new", "york", "new york city", "ne"]);
        assert_eq!(t.longest_at(b"new york times", 0), Some((8, 0)));
        assert_eq!(t.longest_at(b"new york city hall", 0), Some((13, 3)));
        assert_eq!(t.longest_at(b"newark", 0), Some((3, 1)));
        assert_eq!(t.longest_at(b"in york", 3), Some((7, 2)));
        assert_eq!(t.longest_at(b"in york", 0), None);
        assert_eq!(t.longest_at(b"n", 0), None);
        assert_eq!(t.longest_at(b"", 0), None);
    }

    #[test]
    fn equal_patterns_keep_the_first_and_wide_nodes_search_by_bisection() {
        let t = Trie::new(&["ab", "ab", "b"]);
        assert_eq!(t.longest_at(b"abc", 0), Some((2, 0)));
        // A node with more than 8 children.
        let names: Vec<String> = (b'a'..=b'z').map(|c| format!("x{}", c as char)).collect();
        let t = Trie::new(&names);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.longest_at(n.as_bytes(), 0), Some((2, i)));
        }
        assert_eq!(t.longest_at(b"x!", 0), None);
        assert!(Trie::new::<&str>(&[]).longest_at(b"x", 0).is_none());
    }
}
