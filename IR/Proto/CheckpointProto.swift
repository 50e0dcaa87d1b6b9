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
            q.name = t.name; q.role = t.role.proto; q.values = t.values
            return q
        }
        return p
    }

    /// Reads the protobuf form; counters must not be negative.
    init(proto p: Nasc_Ir_Checkpoint) throws {
        guard p.stepsTaken >= 0, p.updatesTaken >= 0, p.epoch >= 0, p.batchInEpoch >= 0 else {
            throw ProtoFormatError("checkpoint has a negative step, update, epoch or batch counter")
        }
        let tensors = try p.tensors.map { t in
            Checkpoint.Tensor(name: t.name, role: try ProtoFormatError.within("tensor '\(t.name)'") { try SlotRole(proto: t.role) },
                              values: t.values)
        }
        self.init(planName: p.planName, seed: p.seed, stepsTaken: Int(p.stepsTaken), updatesTaken: Int(p.updatesTaken),
                  learningRate: p.learningRate, epoch: Int(p.epoch), batchInEpoch: Int(p.batchInEpoch), tensors: tensors)
    }
}
