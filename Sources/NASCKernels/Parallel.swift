// Parallel: splits a kernel's independent work (images, planes, channels, element ranges) over Kernels.threads workers.
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Data-parallel loops for the kernels. Work is split into at most ``Kernels/threads`` contiguous chunks, which run
/// concurrently on Dispatch's fixed worker pool (the calling thread takes part); nothing is allocated per call.
/// Kernels only split work whose result does not depend on the split (each chunk writes its own outputs, in the
/// same arithmetic order as a serial loop), or reduce per-chunk partials in chunk order — so results are
/// bit-for-bit reproducible for a given thread count, and most kernels give identical bits for every count.
public enum Parallel {
    /// How many chunks `count` items split into: at most ``Kernels/threads``, each at least `minChunk` items.
    @inline(__always)
    public static func parts(_ count: Int, minChunk: Int) -> Int {
        let threads = Kernels.threads
        if threads == 1 { return 1 }
        return max(1, min(threads, count / max(chunkOverride ?? minChunk, 1)))
    }

    /// Set by ``Kernels/withThreads(_:smallChunks:_:)``: the smallest chunk, replacing every kernel's own.
    @TaskLocal static var chunkOverride: Int?

    /// Chunk `t` of `parts` over `0..<count`.
    @inline(__always)
    public static func chunk(_ t: Int, of parts: Int, count: Int) -> Range<Int> { (t * count / parts)..<((t + 1) * count / parts) }

    /// Runs `body(0)`, ..., `body(parts - 1)`, concurrently when `parts > 1`; returns when all are done.
    public static func run(_ parts: Int, _ body: (Int) -> Void) {
        if parts <= 1 { body(0); return }
        withoutActuallyEscaping(body) { escaping in
            let box = UncheckedBody(run: escaping)
            DispatchQueue.concurrentPerform(iterations: parts) { box.run($0) }
        }
    }

    /// Splits `0..<count` into ``parts(_:minChunk:)`` contiguous ranges and runs `body` on each, concurrently.
    @inline(__always)
    public static func forEach(_ count: Int, minChunk: Int, _ body: (Range<Int>) -> Void) {
        let p = parts(count, minChunk: minChunk)
        if p == 1 { body(0..<count); return }
        run(p) { t in body(chunk(t, of: p, count: count)) }
    }

    /// A body shared by the workers: each touches only its own outputs and reads shared inputs.
    struct UncheckedBody: @unchecked Sendable { let run: (Int) -> Void }
}

/// Per-thread float scratch memory for workers that need their own im2col columns. A thread runs one chunk at a
/// time, so its buffer is never shared; it grows (allocation) only when a larger size is first asked for.
enum ThreadScratch {
    final class Buffer {
        var pointer: UnsafeMutablePointer<Float>
        var capacity: Int
        init(_ n: Int) { pointer = .allocate(capacity: n); capacity = n }
        deinit { pointer.deallocate() }
    }

    static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k) { raw in if let raw { Unmanaged<Buffer>.fromOpaque(raw).release() } }
        return k
    }()

    /// At least `count` floats owned by the calling thread (valid until its next call on this thread).
    static func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if let raw = pthread_getspecific(key) {
            let b = Unmanaged<Buffer>.fromOpaque(raw).takeUnretainedValue()
            if b.capacity >= count { return b.pointer }
            b.pointer.deallocate()
            b.pointer = .allocate(capacity: count)
            b.capacity = count
            return b.pointer
        }
        let b = Buffer(max(count, 1))
        pthread_setspecific(key, Unmanaged.passRetained(b).toOpaque())
        return b.pointer
    }
}
