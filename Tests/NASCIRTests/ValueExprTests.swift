// Tests for ValueChoice expressions: evaluation, labels and canonical printing.
import Testing
@testable import NASCIR

@Suite struct ValueExprTests {
    let env: [String: Scalar] = ["w": .int(32), "e": .int(6), "p": .float(0.25)]
    func eval(_ e: ValueExpr) throws -> Scalar { try e.evaluate { env[$0] } }

    @Test func arithmeticFollowsPython() throws {
        #expect(try eval(.binary(.mul, .choice("w"), .int(2))) == .int(64))
        #expect(try eval(.binary(.floorDiv, .int(-7), .int(2))) == .int(-4))
        #expect(try eval(.binary(.mod, .int(-7), .int(2))) == .int(1))
        #expect(try eval(.binary(.div, .int(7), .int(2))) == .float(3.5))
        #expect(try eval(.binary(.div, .int(8), .int(2))) == .int(4))
        #expect(try eval(.min([.choice("w"), .int(10)])) == .int(10))
        #expect(try eval(.max([.choice("p"), .float(0.1)])) == .float(0.25))
        #expect(try eval(.cond(.binary(.gt, .choice("e"), .int(3)), .int(1), .int(2))) == .int(1))
    }

    @Test func errorsAreReported() {
        #expect(throws: ValueExpr.EvalError.unboundLabel("zz")) { try eval(.choice("zz")) }
        #expect(throws: ValueExpr.EvalError.divisionByZero) { try eval(.binary(.floorDiv, .int(1), .int(0))) }
    }

    @Test func labelsAndConstants() {
        let e = ValueExpr.binary(.add, .binary(.mul, .choice("w"), .choice("e")), .choice("w"))
        #expect(e.labels == ["w", "e"])
        #expect(e.constant == nil)
        #expect(ValueExpr.binary(.add, .int(2), .int(3)).constantInt == 5)
    }

    @Test func printingIsMinimalAndParenthesized() {
        #expect(ValueExpr.binary(.mul, .binary(.add, .choice("a"), .int(1)), .int(2)).description == "($a + 1) * 2")
        #expect(ValueExpr.binary(.sub, .int(1), .binary(.sub, .int(2), .int(3))).description == "1 - (2 - 3)")
        #expect(ValueExpr.choice("cell/op_0").description == "$\"cell/op_0\"")
        #expect(ValueExpr.float(1).description == "1.0")
    }
}
