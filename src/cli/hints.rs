//! The hints of every exercise, keyed by module name, in the order they are
//! revealed: what to think about first, the edge cases, then the fast
//! approach. Exercises are listed in kit order; an exercise without an entry
//! here has no hints (`kata selfcheck` reports it).

/// The hints of the exercise called `name` (empty when it has none).
pub fn hints_for(name: &str) -> &'static [&'static str] {
    HINTS.iter().find(|(exercise, _)| *exercise == name).map_or(&[], |(_, hints)| hints)
}

/// Every exercise's hints: (module name, hints in reveal order).
pub const HINTS: &[(&str, &[&str])] = &[
    (
        "cosine",
        &[
            "Write the plain version first: one loop that sums a·b, a·a and b·b, then \
             dot / (sqrt(aa) * sqrt(bb)). Get the errors right before the speed: check them in \
             the order the statement lists them (lengths, empty, non-finite, zero vector).",
            "Edge cases: both empty is `Empty`, but one empty and one not is a \
             `DimensionMismatch`. -0.0 is zero, a subnormal such as 1e-45 is not (compare with \
             `== 0.0`, never with an epsilon). Clamp the result to [-1, 1]: rounding can give \
             1.0000001.",
            "Extreme magnitudes: with components near 1e30, a·a overflows f32 to infinity; near \
             1e-30 it underflows to 0 and you would report a zero vector. Accumulate the three \
             sums in f64: the square of any finite f32, even the largest or the smallest \
             subnormal, fits in f64 without overflow or underflow.",
            "The fast path: work on slices (`as_slice()`, with a fallback for non-contiguous \
             views) in chunks of 8 with several independent accumulators per sum, so the compiler \
             can vectorise (it will not reorder one float accumulator for you). Keep sqrt and the \
             division out of the loop, and fold the finiteness check into the same pass.",
        ],
    ),
    (
        "top_k",
        &[
            "Start with the obvious answer: score every row with cosine similarity, sort the \
             (index, score) pairs by score descending then index ascending, keep the first k. It is \
             O(n log n), plainly correct, and the baseline for the fast version.",
            "Validate before anything else, in order: query length against the columns, zero \
             columns, NaN or infinity in the query or the items, a zero query. Only then do n == 0 \
             or k == 0 give Ok(vec![]). A zero row is not an error: it scores 0.0. k > n returns \
             n hits.",
            "Ordering: compare scores with `f32::total_cmp` (descending) and break exact ties by \
             the lower index. Compute the query's norm once, not once per row, and use f64 (or \
             scaling) for the norms so that rows near 1e30 do not overflow.",
            "Selection beats sorting: a min-heap of size k costs O(n log k), and \
             `select_nth_unstable_by` finds the top k in O(n) on average; sort only those k. For \
             `FlatIndex`, normalise every row once in `new` (zero rows stay zero), so `search` is \
             one matrix-vector product (`items.dot(&query)`) plus selection, and `search_batch` is \
             one matrix-matrix product (queries times itemsᵀ) plus a selection per query.",
        ],
    ),
    (
        "chunking",
        &[
            "First find the tokens as byte ranges: walk `char_indices()` and record where each \
             run of non-whitespace (`char::is_whitespace`) starts and ends. With the ranges, chunk \
             i is `&text[start of its first token..end of its last token]`: a borrowed slice that \
             keeps the inner whitespace, no copy.",
            "Check the parameters before looking at the text: size == 0 is `ZeroSize` (even for \
             empty text), then overlap >= size is `OverlapTooLarge { size, overlap }`. Text that \
             is empty or only whitespace gives Ok(vec![]).",
            "Where to stop: chunk i holds tokens [i·stride, min(i·stride + size, n)) with \
             stride = size - overlap, and chunking stops after the first chunk that holds the \
             last token. With 5 tokens, size 3, overlap 1: [0, 3), [2, 5), then stop. Do not emit \
             a trailing chunk made only of overlap.",
            "The fast approach is one pass over the bytes to find token boundaries, then O(1) per \
             chunk. Never re-scan the text for each chunk (O(n · size)), never build Strings, and \
             slice only at offsets that came from `char_indices`, so multi-byte characters and \
             Unicode spaces (U+3000, U+00A0) stay correct.",
        ],
    ),
    (
        "bm25",
        &[
            "Pay the work once in `new`: tokenize each document with the given `tokenize`, keep \
             each document's term counts and length, each term's document frequency, N and avgdl. \
             Then `scores` is only look-ups and arithmetic.",
            "The formula's traps: idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5)) is always \
             positive. Every occurrence of a query token counts (\"cat cat\" adds the term twice). \
             A term missing from a document adds 0: skip it instead of computing 0/0 when k1 = 0. \
             When avgdl == 0 (only empty documents) every score is 0.",
            "Parameters: reject k1 < 0.0 (-0.0 is accepted: it is not less than 0.0), k1 NaN or \
             infinite, and b outside [0, 1] or NaN (`!(0.0..=1.0).contains(&b)` catches NaN). An \
             empty corpus is valid. Compute in f64 inside to stay within the tolerance.",
            "For speed, build an inverted index (term → list of (document, tf)) so that a query \
             touches only the documents that contain its terms, and precompute each document's \
             length norm k1·(1 - b + b·|d|/avgdl). `search` keeps scores > 0 only, descending, \
             ties by lower index: select the top k with a bounded heap instead of sorting all N.",
        ],
    ),
    (
        "batching",
        &[
            "Write `pad_batch` first: width = the longest sequence, ids = \
             `Array2::from_elem((rows, width), pad_id)`, mask = zeros, then copy each sequence \
             into its row and set its mask to 1. No sequences gives shape (0, 0); only empty \
             sequences give (rows, 0).",
            "Check batch_size == 0 before anything (`ZeroBatchSize`, whatever the input). \
             `Input` groups consecutive sequences; `LongestFirst` sorts the indices by length \
             descending with a stable sort (`sort_by_key` with `Reverse(len)` is stable), so equal \
             lengths keep input order. Record the `indices` so callers can undo the permutation.",
            "Lazy means one batch per `next()`: compute the order (a Vec of indices) up front, \
             then move it into the iterator, e.g. `(0..n).step_by(batch_size).map(move |start| \
             ...)`, building each batch only when asked. The iterator borrows the sequences for \
             'a; it must not copy them all first.",
            "The fast approach: one allocation per array per batch, rows filled with \
             `copy_from_slice` into `row_mut(r)` (no per-token pushes). Sorting is O(n log n) on \
             lengths only; everything else is O(padded tokens) and sorting longest-first keeps \
             padding small.",
        ],
    ),
    (
        "merge",
        &[
            "Think of a tournament: keep the current head of each stream in a min-heap of \
             (item, stream index). Pop the smallest, yield it, pull the next item from that same \
             stream and push it. That is O(log k) comparisons per item.",
            "Stability: equal items come out in stream order, then in order within a stream. \
             Break ties in the heap by the stream index; order within a stream is then automatic, \
             since each stream has at most one item in the heap at a time.",
            "Laziness: never collect a stream. Pull one item from each stream up front (the \
             \"+ k\"), then one more only from the stream you just yielded from. `BinaryHeap` \
             needs `Ord`, which a caller's comparator closure cannot give: write a small heap \
             (sift up / sift down over a Vec of (item, stream)) that takes `&mut F`, and make \
             `merge_sorted` call `merge_sorted_by(streams, Ord::cmp)`.",
            "Edge cases and speed: no streams, empty streams, one stream (just forward it), and \
             unsorted input, which must still yield every item exactly once (never drop an item \
             that is smaller than one already yielded). A loser tree needs about log2(k) \
             comparisons per item, a binary heap's sift-down about twice that; for k <= 4 a \
             linear scan of the heads can beat both.",
        ],
    ),
];
