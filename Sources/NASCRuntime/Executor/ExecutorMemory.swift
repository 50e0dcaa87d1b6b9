// ExecutorMemory: the raw storage behind a plan's slots — persistent slots once, batch-sized regions per batch size.
import NASCIR

/// Owns every buffer of an executor. Persistent slots (parameters, state, optimizer state) get their own
/// allocation for the executor's lifetime; the other slots share regions (as memory planning assigned them),
/// reallocated only when the batch size changes. All memory is zero-filled and 64-byte aligned.
final class ExecutorMemory {
    let plan: Plan
    /// Base pointer of each slot (valid after `bind(batch:)` for non-persistent slots).
    let pointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    /// Element count of each slot for the bound batch size.
    let counts: UnsafeMutablePointer<Int>
    private var persistent: [UnsafeMutableRawPointer] = []
    /// Batch-sized regions per batch size seen (at most 4 sizes are kept).
    private var regionsByBatch: [Int: [Int: UnsafeMutableRawPointer]] = [:]
    private(set) var batch = 0

    init(plan: Plan) {
        self.plan = plan
        pointers = .allocate(capacity: max(plan.slots.count, 1))
        pointers.initialize(repeating: nil, count: max(plan.slots.count, 1))
        counts = .allocate(capacity: max(plan.slots.count, 1))
        counts.initialize(repeating: 0, count: max(plan.slots.count, 1))
        for (i, s) in plan.slots.enumerated() where s.role.isPersistent {
            let n = s.size.count(batch: 0)
            let p = Self.allocate(bytes: n * Self.elementBytes(s.type))
            persistent.append(p)
            pointers[i] = p
            counts[i] = n
        }
    }

    deinit {
        for p in persistent { p.deallocate() }
        for rs in regionsByBatch.values { for p in rs.values { p.deallocate() } }
        pointers.deallocate()
        counts.deallocate()
    }

    static func elementBytes(_ t: SlotType) -> Int { t == .i64 ? 8 : 4 }

    static func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
        p.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 64))
        return p
    }

    /// Binds the batch-sized regions for `n` samples, allocating them the first time `n` is seen (a trainer
    /// alternating between the full and the last partial batch allocates once per size).
    func bind(batch n: Int) {
        if n == batch { return }
        let base: [Int: UnsafeMutableRawPointer]
        if let cached = regionsByBatch[n] {
            base = cached
        } else {
            var regionBytes: [Int: Int] = [:]
            for s in plan.slots where !s.role.isPersistent {
                regionBytes[s.region] = max(regionBytes[s.region] ?? 0, s.size.count(batch: n) * Self.elementBytes(s.type))
            }
            var fresh: [Int: UnsafeMutableRawPointer] = [:]
            for r in regionBytes.keys.sorted() { fresh[r] = Self.allocate(bytes: regionBytes[r]!) }
            if regionsByBatch.count >= 4, let evict = regionsByBatch.keys.first(where: { $0 != batch }) {
                for p in regionsByBatch[evict]!.values { p.deallocate() }
                regionsByBatch[evict] = nil
            }
            regionsByBatch[n] = fresh
            base = fresh
        }
        for (i, s) in plan.slots.enumerated() where !s.role.isPersistent {
            pointers[i] = base[s.region]
            counts[i] = s.size.count(batch: n)
        }
        batch = n
    }

    /// The float storage of a slot.
    @inline(__always) func f32(_ s: SlotID) -> UnsafeMutablePointer<Float> {
        pointers[s].unsafelyUnwrapped.assumingMemoryBound(to: Float.self)
    }

    /// The i64 storage of a slot (labels).
    @inline(__always) func i64(_ s: SlotID) -> UnsafeMutablePointer<Int64> {
        pointers[s].unsafelyUnwrapped.assumingMemoryBound(to: Int64.self)
    }

    /// The i32 storage of a slot (argmax indices).
    @inline(__always) func i32(_ s: SlotID) -> UnsafeMutablePointer<Int32> {
        pointers[s].unsafelyUnwrapped.assumingMemoryBound(to: Int32.self)
    }
}
