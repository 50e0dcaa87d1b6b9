import Testing
import Foundation
@testable import NASCFrontend
import NASCIR

@Test func scratch() throws {
    let path = ProcessInfo.processInfo.environment["NAS"] ?? ""
    guard !path.isEmpty else { return }
    let src = try String(contentsOfFile: path, encoding: .utf8)
    do {
        let s = try Frontend.compile(source: src, file: path)
        for g in s.graphs {
            print("graph @\(g.name)(\(g.inputs.map { "\($0.name): \($0.type)" }))")
            for n in g.nodes { print("  %\(n.name) = \(n.op.kind.rawValue)(\(n.inputs)) \(n.op.attributes.map { "\($0.name)=\($0.value)" }) : \(n.types)") }
            print("  return \(g.outputs)")
        }
        print(s.valueChoices)
    } catch let e as DiagnosticError {
        print(Frontend.render(e, source: src))
    }
}
