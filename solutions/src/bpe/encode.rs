//! Encoding one piece: lowest merge index first, leftmost on a tie.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::Ranks;

/// Pieces up to this many bytes take the short path: a scan for the lowest
/// rank is cheaper than a heap when there are a few dozen symbols.
const SHORT_PIECE: usize = 48;

/// No merge for this pair.
const NONE: u32 = u32::MAX;

/// Buffers reused from piece to piece, so encoding allocates per call, not
/// per piece.
#[derive(Debug, Default)]
pub(super) struct Workspace {
    symbols: Vec<u32>,
    ranks: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    heap: BinaryHeap<Reverse<u64>>,
}

impl Workspace {
    /// Appends the ids of `piece` (its bytes, merged) to `out`.
    pub(super) fn encode_piece(&mut self, ranks: &Ranks, piece: &[u8], out: &mut Vec<u32>) {
        match piece.len() {
            0 => {}
            1 => out.push(u32::from(piece[0])),
            n if n <= SHORT_PIECE => self.encode_short(ranks, piece, out),
            _ => self.encode_long(ranks, piece, out),
        }
    }

    /// `symbols` and the rank of each adjacent pair side by side; each step
    /// finds the first lowest rank, merges, and recomputes the two ranks
    /// around it. O(n²) in the worst case, but n is small and the loop is a
    /// tight scan over a few cache lines.
    fn encode_short(&mut self, ranks: &Ranks, piece: &[u8], out: &mut Vec<u32>) {
        let (symbols, pair_ranks) = (&mut self.symbols, &mut self.ranks);
        symbols.clear();
        symbols.extend(piece.iter().map(|&byte| u32::from(byte)));
        pair_ranks.clear();
        pair_ranks.extend(piece.windows(2).map(|pair| ranks.byte_pair(pair[0], pair[1])));
        loop {
            let (mut best, mut at) = (NONE, 0);
            for (index, &rank) in pair_ranks.iter().enumerate() {
                if rank < best {
                    (best, at) = (rank, index);
                }
            }
            if best == NONE {
                break;
            }
            symbols[at] = Ranks::id_of(best);
            symbols.remove(at + 1);
            pair_ranks.remove(at);
            if at > 0 {
                pair_ranks[at - 1] = ranks.get(symbols[at - 1], symbols[at]);
            }
            if at + 1 < symbols.len() {
                pair_ranks[at] = ranks.get(symbols[at], symbols[at + 1]);
            }
        }
        out.extend_from_slice(symbols);
    }

    /// A doubly linked list of symbols (indexed by the byte position where
    /// each starts) and a min-heap of `(rank, position)`. Popping gives the
    /// lowest rank, leftmost first; an entry whose pair has changed since it
    /// was pushed is stale and skipped. Each merge pushes at most two
    /// entries, so a piece of n bytes costs O(n log n).
    fn encode_long(&mut self, ranks: &Ranks, piece: &[u8], out: &mut Vec<u32>) {
        let n = piece.len();
        let Workspace { symbols, next, prev, heap, .. } = self;
        symbols.clear();
        symbols.extend(piece.iter().map(|&byte| u32::from(byte)));
        next.clear();
        next.extend((1..=n as u32).map(|i| if i as usize == n { NONE } else { i }));
        prev.clear();
        prev.extend((0..n as u32).map(|i| if i == 0 { NONE } else { i - 1 }));
        heap.clear();
        for (at, pair) in piece.windows(2).enumerate() {
            let rank = ranks.byte_pair(pair[0], pair[1]);
            if rank != NONE {
                heap.push(Reverse(entry(rank, at as u32)));
            }
        }
        while let Some(Reverse(top)) = heap.pop() {
            let (rank, at) = ((top >> 32) as u32, top as u32);
            let (left, right) = (at as usize, next[at as usize]);
            if symbols[left] == NONE || right == NONE {
                continue;
            }
            if ranks.get(symbols[left], symbols[right as usize]) != rank {
                continue;
            }
            symbols[left] = Ranks::id_of(rank);
            symbols[right as usize] = NONE;
            let after = next[right as usize];
            next[left] = after;
            if after != NONE {
                prev[after as usize] = at;
                push_pair(heap, ranks, symbols, at, after);
            }
            let before = prev[left];
            if before != NONE {
                push_pair(heap, ranks, symbols, before, at);
            }
        }
        let mut at = 0;
        while at != NONE {
            out.push(symbols[at as usize]);
            at = next[at as usize];
        }
    }
}

/// A heap entry: rank in the high half, position in the low half, so the
/// smallest entry is the lowest rank, leftmost.
fn entry(rank: u32, at: u32) -> u64 {
    (u64::from(rank) << 32) | u64::from(at)
}

/// Queues the pair of symbols starting at `left` and `right`, if it merges.
fn push_pair(heap: &mut BinaryHeap<Reverse<u64>>, ranks: &Ranks, symbols: &[u32], left: u32, right: u32) {
    let rank = ranks.get(symbols[left as usize], symbols[right as usize]);
    if rank != NONE {
        heap.push(Reverse(entry(rank, left)));
    }
}
