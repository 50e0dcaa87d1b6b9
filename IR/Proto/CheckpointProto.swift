// Checkpoint <-> protobuf: the `checkpoint` payload of a NascFile.

extension Checkpoint {
    /// The protobuf form.
    func toProto() -> Nasc_Ir_Checkpoint {
        var p = Nasc_Ir_Checkpoint()
        p.planName = planName
        p.seed = seed
        p.stepsTaken = Int64(stepsTaken)
        p.updatesTaken = Int64(updatesTaken)
        p.learningRate = learningRate
        p.epoch = Int64(epoch)
        p.batchInEpoch = Int64(batchInEpoch)
        p.tensors = tensors.map { t in
            var q = Nasc_Ir_CheckpointTensor()
            q.name = t.name; q.role = t.role.proto; q.values = t.values; q.shape = t.shape.map(Int64.init)
            return q
        }
        if let n = inputNormalization {
            p.inputNormalization = .with { $0.mean = n.mean; $0.std = n.std }
        }
        return p
    }

    /// Reads the protobuf form; counters must not be negative.
    init(proto p: Nasc_Ir_Checkpoint) throws {
        guard p.stepsTaken >= 0, p.updatesTaken >= 0, p.epoch >= 0, p.batchInEpoch >= 0 else {
            throw ProtoFormatError("checkpoint has a negative step, update, epoch or batch counter")
        }
        let tensors = try p.tensors.map { t in
            guard t.shape.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
                throw ProtoFormatError("tensor '\(t.name)' has an invalid shape \(t.shape)")
            }
            return Checkpoint.Tensor(name: t.name, role: try ProtoFormatError.within("tensor '\(t.name)'") { try SlotRole(proto: t.role) },
                                     values: t.values, shape: t.shape.map { Int($0) })
        }
        self.init(planName: p.planName, seed: p.seed, stepsTaken: Int(p.stepsTaken), updatesTaken: Int(p.updatesTaken),
                  learningRate: p.learningRate, epoch: Int(p.epoch), batchInEpoch: Int(p.batchInEpoch), tensors: tensors)
        if p.hasInputNormalization {
            let n = p.inputNormalization
            guard n.mean.count == n.std.count, !n.mean.isEmpty else {
                throw ProtoFormatError("input normalization has \(n.mean.count) means and \(n.std.count) standard deviations")
            }
            guard (n.mean + n.std).allSatisfy(\.isFinite), n.std.allSatisfy({ $0 > 0 }) else {
                throw ProtoFormatError("input normalization has a non-finite mean or a non-positive standard deviation")
            }
            inputNormalization = Checkpoint.Normalization(mean: n.mean, std: n.std)
        }
    }
}
