// Tests for the NNI JSON forms: v1 fixed architectures, v3 samples, tuner parameters and the space file.
import Testing
@testable import NASCIR

@Suite struct ArchitectureJSONTests {
    typealias F = SpaceFixtures
    let good = ArchitectureValidationTests.good

    func space() throws -> SearchSpace { try SearchSpace(F.nested()) }

    @Test func v3IsWrittenDeterministically() throws {
        let text = try ArchitectureJSON.write(good, space: space(), format: .nniV3)
        #expect(text == """
            {
              "act": "tanh",
              "blk0op": "id",
              "conv1": "b",
              "depth": 2,
              "skip": [1],
              "width": 16
            }

            """)
    }

    @Test func v1UnwrapsASingleChosenInput() throws {
        let text = try ArchitectureJSON.write(good, space: space(), format: .nniV1)
        #expect(text.contains("\"skip\": 1,"))
        #expect(try ArchitectureJSON.detectFormat(text, space: space()) == .nniV1)
    }

    @Test func tunerFormCarriesValueAndIndex() throws {
        let text = try ArchitectureJSON.write(good, space: space(), format: .tuner)
        #expect(text.contains("""
              "conv1": {
                "_idx": 1,
                "_value": "b"
              },
            """))
        #expect(text.contains("\"_idx\": [1],\n    \"_value\": [1]"))
        #expect(text.contains("\"width\": {\n    \"_idx\": 1,\n    \"_value\": 16\n  }"))
    }

    @Test func everyFormRoundTrips() throws {
        let s = try space()
        for format in ArchitectureFormat.allCases {
            let text = try ArchitectureJSON.write(good, space: s, format: format)
            #expect(try ArchitectureJSON.read(text, space: s) == good, "format \(format)")
            #expect(try ArchitectureJSON.detectFormat(text, space: s) == format)
        }
        // Every architecture of a space with an any-input choice and float values round trips too.
        let t = SearchSpace(decisions: [
            Decision(label: "in", kind: .inputChoice(nCandidates: 3, nChosen: nil)),
            Decision(label: "p", kind: .valueChoice(values: [.float(0.1), .float(0.5), .int(1)])),
        ])
        for a in t.allArchitectures() {
            for format in ArchitectureFormat.allCases {
                #expect(try ArchitectureJSON.read(ArchitectureJSON.write(a, space: t, format: format), space: t) == a)
            }
        }
        #expect(try ArchitectureJSON.write(Architecture(["in": .inputs([]), "p": .value(.float(0.5))]), space: t)
                == "{\n  \"in\": [],\n  \"p\": 0.5\n}\n")
    }

    @Test func v1AcceptsIndicesListsAndMultiHot() throws {
        let s = try space()
        let text = """
            {"conv1": [false, true], "width": 16.0, "act": ["tanh"], "skip": [false, true],
             "depth": 2, "blk0op": 1}
            """
        #expect(try ArchitectureJSON.read(text, space: s) == good)
        #expect(try ArchitectureJSON.detectFormat(text, space: s) == .nniV1)
        let floats = #"{"conv1": [0.0, 1.0], "width": 16, "act": "tanh", "skip": 1, "depth": 2, "blk0op": "id"}"#
        #expect(try ArchitectureJSON.read(floats, space: s) == good)
    }

    /// The chosen inputs are a set joined in ascending order: an unsorted list is refused, never reordered
    /// (reordering silently changed what a `concat` produces against NNI, which joins in the given order).
    @Test func v3InputListsMustBeAscending() throws {
        let t = SearchSpace(decisions: [Decision(label: "in", kind: .inputChoice(nCandidates: 4, nChosen: 2))])
        #expect(try ArchitectureJSON.read(#"{"in": [1, 3]}"#, space: t) == Architecture(["in": .inputs([1, 3])]))
        let e = #expect(throws: DiagnosticError.self) { try ArchitectureJSON.read(#"{"in": [3, 1]}"#, space: t) }
        #expect(e?.description == "<architecture>:1:2: error: inputs of input choice 'in' must be in ascending order, got [3, 1]")
    }

    @Test func tunerAnswersMayMixPlainValues() throws {
        let s = try space()
        let text = """
            {"conv1": {"_value": "b", "_idx": 1}, "width": 16, "act": {"_idx": 1}, "skip": {"_value": [1], "_idx": [1]},
             "depth": {"_value": 2, "_idx": 1}, "blk0op": {"_value": "id"}}
            """
        #expect(try ArchitectureJSON.read(text, space: s) == good)
        #expect(try ArchitectureJSON.detectFormat(text, space: s) == .tuner)
    }

    func readError(_ text: String) throws -> [String] {
        let e = try #require(throws: DiagnosticError.self) { try ArchitectureJSON.read(text, space: space(), file: "arch.json") }
        return e.diagnostics.map(\.description)
    }

    @Test func parseErrorsNameTheLabelAndWhatWasExpected() throws {
        let rest = "\n  \"width\": 16, \"act\": \"tanh\", \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}"
        #expect(try readError("{\"conv1\": true," + rest) ==
                ["arch.json:1:2: error: label 'conv1': expected a candidate name (a, b), an index below 2, or a one-hot list, got true"])
        #expect(try readError("{\"conv1\": 5," + rest) ==
                ["arch.json:1:2: error: label 'conv1': index 5 is out of range; expected a candidate name (a, b), an index below 2, or a one-hot list"])
        #expect(try readError("{\"conv1\": [\"a\", \"b\"]," + rest) ==
                ["arch.json:1:2: error: label 'conv1': a layer choice takes exactly one candidate, got [\"a\", \"b\"]"])
        #expect(try readError("{\"conv1\": [true, true]," + rest) ==
                ["arch.json:1:2: error: label 'conv1': a one-hot list must have exactly one true entry; got [true, true]"])
        #expect(try readError("{\"conv1\": {\"_value\": \"a\", \"_idx\": 1}," + rest) ==
                ["arch.json:1:2: error: label 'conv1': _value 'a' does not match _idx 1, which is 'b'"])
        // Tuner form: `_value` is checked against `_idx` for every kind of decision, not only layer choices.
        #expect(try readError("{\"conv1\": \"a\", \"width\": {\"_value\": 8, \"_idx\": 1}, \"act\": \"tanh\", \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:16: error: label 'width': _value 8 does not match _idx 1, which is 16"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 8, \"act\": \"tanh\", \"skip\": {\"_value\": [0], \"_idx\": [1]}, \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:43: error: label 'skip': _value [0] does not match _idx [1]"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 8, \"act\": \"tanh\", \"skip\": [1], \"depth\": {\"_value\": 1, \"_idx\": 1}, \"blk0op\": \"id\"}") ==
                ["arch.json:1:56: error: label 'depth': _value 1 does not match _idx 1, which is 2"])
        #expect(try readError("{\"conv1\": {\"value\": \"a\"}," + rest) ==
                ["arch.json:1:2: error: label 'conv1': a tuner parameter must be {\"_value\": ..., \"_idx\": ...}, got {\"value\": \"a\"}"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": \"16\", \"act\": \"tanh\", \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:16: error: label 'width': expected one of the values 8, 16, got \"16\""])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 12, \"act\": \"tanh\", \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:16: error: label 'width': 12 is not a value; expected one of the values 8, 16"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 8, \"act\": \"tanh\", \"skip\": [\"x\"], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:43: error: label 'skip': expected a list of input indices below 2 (or a multi-hot list of 2 booleans), got [\"x\"]"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 8, \"act\": \"tanh\", \"skip\": [1], \"depth\": [2], \"blk0op\": \"id\"}") ==
                ["arch.json:1:56: error: label 'depth': expected a depth among 1, 2, got [2]"])
    }

    @Test func validationErrorsPointAtTheLabelInTheFile() throws {
        #expect(try readError("{\"conv1\": \"c\",\n  \"width\": 16, \"act\": \"tanh\", \"skip\": [0, 1], \"depth\": 2, \"blk0op\": \"id\"}") == [
            "arch.json:1:2: error: 'c' is not a candidate of layer choice 'conv1' (candidates: a, b)",
            "arch.json:2:31: error: input choice 'skip' must choose exactly 1 of its 2 inputs, got 2",
        ])
        // Unsorted input lists are rejected, never silently reordered (a concat joins its inputs in ascending order).
        #expect(try readError("{\"conv1\": \"a\", \"width\": 16, \"act\": \"tanh\", \"skip\": [1, 0], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:44: error: inputs of input choice 'skip' must be in ascending order, got [1, 0]"])
        #expect(try readError("{\"conv1\": \"a\", \"conv2\": \"a\", \"width\": 16, \"act\": \"tanh\", \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json:1:16: error: architecture has unknown label 'conv2'"])
        #expect(try readError("{\"conv1\": \"a\", \"width\": 16, \"skip\": [1], \"depth\": 2, \"blk0op\": \"id\"}") ==
                ["arch.json: error: architecture has no value for 'act' (layer choice over [relu, tanh])"])
    }

    @Test func malformedJSONIsLocated() throws {
        #expect(try readError("{\"conv1\": }") == ["arch.json:1:11: error: invalid JSON: unexpected character '}'"])
        #expect(try readError("[1]") == ["arch.json:1:1: error: an architecture must be a JSON object {label: value}, got an array"])
        #expect(try readError("{\"conv1\": \"a\",\n \"conv1\": \"b\"}") == ["arch.json:2:2: error: duplicate key 'conv1' in JSON object"])
        #expect(try readError("{\"a\": \"x") == ["arch.json:1:9: error: invalid JSON: unterminated string"])
        #expect(try readError("") == ["arch.json:1:1: error: invalid JSON: unexpected end of input"])
        #expect(try readError("{} 3") == ["arch.json:1:4: error: invalid JSON: unexpected text after the value"])
    }

    @Test func writingAnInvalidArchitectureFails() throws {
        var a = good
        a["conv1"] = .candidate("zz")
        #expect(throws: DiagnosticError.self) { try ArchitectureJSON.write(a, space: space()) }
    }

    @Test func spaceFileUsesNNITypes() throws {
        #expect(try NNISpaceJSON.write(space()) == """
            {
              "act": {
                "_type": "layer_choice",
                "_value": ["relu", "tanh"]
              },
              "blk0op": {
                "_type": "layer_choice",
                "_value": ["relu", "id"]
              },
              "conv1": {
                "_type": "layer_choice",
                "_value": ["a", "b"]
              },
              "depth": {
                "_type": "choice",
                "_value": [1, 2]
              },
              "skip": {
                "_type": "input_choice",
                "_value": {
                  "candidates": [0, 1],
                  "n_chosen": 1
                }
              },
              "width": {
                "_type": "choice",
                "_value": [8, 16]
              }
            }

            """)
        let any = try SearchSpace(F.inputChoice(n: 2, nChosen: nil))
        #expect(NNISpaceJSON.json(any) == .object(["pick": .object([
            "_type": .string("input_choice"),
            "_value": .object(["candidates": .array([.int(0), .int(1)]), "n_chosen": .null])])]))
    }

    @Test func jsonTextEscapesAndKeepsNumberKinds() throws {
        let v = JSONValue.object(["a\"b\n": .double(0.5), "x": .array([.int(1), .double(2), .bool(true), .null]), "e": .double(1e-5)])
        #expect(v.serialized() == "{\n  \"a\\\"b\\n\": 0.5,\n  \"e\": 1e-05,\n  \"x\": [1, 2.0, true, null]\n}\n")
        var p = JSONParser(v.serialized(), file: "x")
        #expect(try p.parse() == v)
        var q = JSONParser(#"["\u00e9\ud83d\ude00", -12, 3.5e2]"#, file: "x")
        #expect(try q.parse() == .array([.string("é😀"), .int(-12), .double(350)]))
    }
}
