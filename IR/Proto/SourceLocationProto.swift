// SourceLocation <-> protobuf. An absent location message is the unknown location.

extension SourceLocation {
    /// The protobuf form.
    var proto: Nasc_Ir_SourceLocation {
        var p = Nasc_Ir_SourceLocation()
        p.file = file
        p.line = Int64(line)
        p.column = Int64(column)
        return p
    }

    /// Reads the protobuf form; lines and columns are taken as written.
    init(proto p: Nasc_Ir_SourceLocation) {
        self.init(file: p.file, line: Int(p.line), column: Int(p.column))
    }
}
