// FuzzRegressionTests: replays every fuzz seed and every input that once crashed a fuzz target through the same
// entry functions libFuzzer drives (`make fuzz`), so a regression fails `make test` without a fuzzer build.
import Foundation
import NASCFuzzTargets
import Testing

@Suite struct FuzzRegressionTests {
    static let fuzzRoot = NascProcess.root.appendingPathComponent("Tests/Fuzz")

    static func files(_ folder: String, _ target: String) -> [URL] {
        let dir = fuzzRoot.appendingPathComponent(folder).appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.sorted().map { dir.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTargets.names) func seedsAndCrashInputsReplay(target: String) throws {
        let seeds = Self.files("corpus", target)
        #expect(seeds.count >= 3, "the seed corpus of \(target) is missing")
        for file in seeds + Self.files("regressions", target) {
            #expect(FuzzTargets.run(target, [UInt8](try Data(contentsOf: file))))
        }
    }

    @Test func everyTargetHasADictionaryAndTheArchitectureSpaceCompiles() throws {
        for target in FuzzTargets.names {
            let dict = Self.fuzzRoot.appendingPathComponent("dict/\(target).dict").path
            #expect(FileManager.default.fileExists(atPath: dict), "\(dict)")
        }
        let space = try #require(FuzzTargets.archSpace)
        #expect(space.decisions.count >= 6)
    }
}
