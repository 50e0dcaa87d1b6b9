// OpKindTests: OpKind.isBackward (a switch, for speed) names exactly the kinds whose text name contains `_grad`.
import Testing
import NASCIR

@Suite struct OpKindTests {
    @Test func isBackwardIsTheGradNamingRule() {
        for kind in OpKind.allCases {
            #expect(kind.isBackward == kind.rawValue.contains("_grad"), "\(kind.rawValue)")
        }
        #expect(OpKind.allCases.filter(\.isBackward).count == 38)
    }
}
