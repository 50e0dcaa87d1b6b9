// TextDataTests: text and token data sets — tokenizer, vocabulary, encoding, the bundled fortunes set, bad input.
import Foundation
import NASCData
import NASCIR
import Testing

@Suite struct TextDataTests {
    /// Writes `text` to a fresh temporary file named `name` and returns its path.
    func file(_ text: String, _ name: String = "t.tsv", in dir: String? = nil) throws -> String {
        try write(Array(text.utf8), to: dir ?? makeTempDir(), name)
    }

    @Test func tokenizerLowercasesAndSplitsPunctuation() {
        #expect(TextTokenizer.tokens("Don't STOP!  now,\tplease") == ["don", "'", "t", "stop", "!", "now", ",", "please"])
        #expect(TextTokenizer.tokens("  ") == [])
        #expect(TextTokenizer.tokens("a+b=c") == ["a", "+", "b", "=", "c"])
    }

    @Test func vocabularyOrdersByCountThenString() throws {
        let docs = [["b", "a", "c"], ["a", "b"], ["a", "d"]]
        let v = try TextVocabulary.build(docs, minCount: 1, maxSize: 100, source: "x")
        #expect(v.tokens == ["<pad>", "<unk>", "a", "b", "c", "d"])
        let small = try TextVocabulary.build(docs, minCount: 2, maxSize: 100, source: "x")
        #expect(small.tokens == ["<pad>", "<unk>", "a", "b"])
        let capped = try TextVocabulary.build(docs, minCount: 1, maxSize: 3, source: "x")
        #expect(capped.tokens == ["<pad>", "<unk>", "a"])
        #expect(capped.encode("A b a", length: 5) == [2, 1, 2, 0, 0])
        #expect(capped.encode("a a a a", length: 2) == [2, 2])
    }

    @Test func vocabularyRoundTripsThroughItsFile() throws {
        let v = try TextVocabulary.build([["x", "y", "y"]], minCount: 1, maxSize: 10, source: "x")
        let path = try makeTempDir() + "/vocab.txt"
        try v.save(to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "<pad>\n<unk>\ny\nx\n")
        #expect(try TextVocabulary.load(path: path) == v)
    }

    @Test func emptyVocabulary() throws {
        let p = try file("label\ttext\na\tone two\nb\tthree\n")
        var o = TextOptions()
        o.minCount = 2
        let d = try #require(diagnostic { _ = try TextLoader.load(path: p, options: o) })
        #expect(d.description == "\(p): error: empty vocabulary: none of the 3 distinct tokens occurs 2 times (lower min_count)")
        let blank = try file("label,text\na,\"\"\nb,  \n", "t.csv")
        let e = try #require(diagnostic { _ = try TextLoader.load(path: blank, options: TextOptions()) })
        #expect(e.description == "\(blank): error: empty vocabulary: the training texts have no tokens")
        let vf = try file("<pad>\n<unk>\n", "v.txt")
        let f = try #require(diagnostic { _ = try TextVocabulary.load(path: vf) })
        #expect(f.description == "\(vf): error: empty vocabulary: the file has no word after <pad> and <unk>")
    }

    @Test func badVocabularyFiles() throws {
        let a = try file("<unk>\n<pad>\nx\n", "v.txt")
        #expect(diagnostic { _ = try TextVocabulary.load(path: a) }?.description
            == "\(a):1:1: error: a vocabulary file starts with <pad> (id 0), got \"<unk>\"")
        let b = try file("<pad>\n<unk>\nx\ny z\n", "v.txt")
        #expect(diagnostic { _ = try TextVocabulary.load(path: b) }?.description
            == "\(b):4:1: error: a vocabulary token is one non-empty word without spaces")
        let c = try file("<pad>\n<unk>\nx\nx\n", "v.txt")
        #expect(diagnostic { _ = try TextVocabulary.load(path: c) }?.description == "\(c):4:1: error: token \"x\" repeats line 3")
    }

    @Test func textFileEncodesTokenIDs() throws {
        let dir = try makeTempDir()
        let train = try file("id,label,text\n1,pos,Good movie!\n2,neg,\"bad, bad movie\"\n3,pos,good\n", "train.csv", in: dir)
        let test = try file("id,label,text\n4,neg,a bad film\n", "test.csv", in: dir)
        var o = TextOptions()
        o.length = 4
        o.testPath = test
        let (splits, v) = try TextLoader.load(path: train, options: o)
        #expect(v.tokens == ["<pad>", "<unk>", "bad", "good", "movie", "!", ","])
        let d = splits.train
        #expect(d.sampleShape == [4])
        #expect(d.features == [3, 4, 5, 0, 2, 6, 2, 4, 3, 0, 0, 0])
        #expect(d.classNames == ["neg", "pos"])
        #expect(d.labels == [1, 0, 1])
        #expect(d.tokens == TokenSamples(size: 7, largestID: 6, largestIDLocation: SourceLocation(file: train, line: 3)))
        let t = try #require(splits.test)
        #expect(t.features == [1, 2, 1, 0])
        #expect(t.labels == [0])
        #expect(t.tokens?.size == 7)
        // Token data is checked against an i64 input, and never normalized.
        try d.check(matches: TensorType(.i64, [.batch, .fixed(4)]))
        #expect(diagnostic { try d.check(matches: TensorType(.f32, [.batch, .fixed(4)])) }?.message
            == "data samples are token ids (i64) but the space input is f32[N,4]")
        var copy = d
        #expect(diagnostic { try ChannelNormalization.fit(d).apply(to: &copy) }?.message == "token ids cannot be normalized or augmented")
        #expect(d.subset([2]).tokens == d.tokens)
    }

    @Test func raggedTextRow() throws {
        let p = try file("label\ttext\npos\tfine\nneg\tnot\tfine\n")
        #expect(diagnostic { _ = try TextLoader.load(path: p, options: TextOptions()) }?.description
            == "\(p):3:9: error: row has 3 columns but the header (line 1) has 2")
        let q = try file("label,text,source\npos,fine,a\nneg\n", "t.csv")
        #expect(diagnostic { _ = try TextLoader.load(path: q, options: TextOptions()) }?.description
            == "\(q):3:4: error: row has 1 columns but the header (line 1) has 3")
    }

    @Test func badTextColumnsAndLabels() throws {
        let p = try file("label\tbody\npos\tfine\n")
        #expect(diagnostic { _ = try TextLoader.load(path: p, options: TextOptions()) }?.description
            == "\(p):1:1: error: no text column named \"text\" in the header (columns: \"label\", \"body\")")
        let dir = try makeTempDir()
        let train = try file("label\ttext\npos\tfine\n", "train.tsv", in: dir)
        let test = try file("label\ttext\npos\tok\nmaybe\tso so\n", "test.tsv", in: dir)
        var o = TextOptions()
        o.testPath = test
        #expect(diagnostic { _ = try TextLoader.load(path: train, options: o) }?.description
            == "\(test):3:1: error: label \"maybe\" is not one of the training file's classes (pos)")
        let empty = try file("")
        #expect(diagnostic { _ = try TextLoader.load(path: empty, options: TextOptions()) }?.description
            == "\(empty): error: text file is empty (it needs a header row)")
    }

    @Test func tokenFiles() throws {
        let p = try file("# label ids\n1 4 5 6\n0,2,3\n\n2\t7\n", "t.txt")
        let splits = try TokenLoader.load(path: p, options: TokenOptions())
        let d = splits.train
        #expect(d.sampleShape == [3])
        #expect(d.features == [4, 5, 6, 2, 3, 0, 7, 0, 0])
        #expect(d.labels == [1, 0, 2])
        #expect(d.tokens == TokenSamples(size: 8, largestID: 7, largestIDLocation: SourceLocation(file: p, line: 5, column: 3)))
        var o = TokenOptions()
        o.vocabularySize = 7
        #expect(diagnostic { _ = try TokenLoader.load(path: p, options: o) }?.description
            == "\(p):5:3: error: token id 7 is not below the vocabulary size 7 (vocab=7)")
        let bad = try file("1 2 x\n", "t.txt")
        #expect(diagnostic { _ = try TokenLoader.load(path: bad, options: TokenOptions()) }?.description
            == "\(bad):1:5: error: \"x\" is not a non-negative integer")
        let short = try file("1 2\n3\n", "t.txt")
        #expect(diagnostic { _ = try TokenLoader.load(path: short, options: TokenOptions()) }?.description
            == "\(short):2:2: error: a line holds a label and at least one token id")
    }

    @Test func specsParseAndAbsolutize() throws {
        guard case .text(let path, let o) = try DataSpec.parse("text:a.tsv?text=body&label=2&length=32&min_count=2&max_vocab=500&test=b.tsv&sep=tab") else {
            Issue.record("not a text spec"); return
        }
        #expect(path == "a.tsv")
        #expect(o.text == .named("body") && o.label == .index(2) && o.length == 32 && o.minCount == 2)
        #expect(o.maxVocabulary == 500 && o.testPath == "b.tsv" && o.delimiter == "\t")
        guard case .tokens(_, let t) = try DataSpec.parse("tokens:ids.txt?vocab=100&length=8") else {
            Issue.record("not a tokens spec"); return
        }
        #expect(t.vocabularySize == 100 && t.length == 8)
        #expect(diagnostic { _ = try DataSpec.parse("text:a.tsv?size=3", at: SourceLocation(file: "--data")) }?.description
            == "--data: error: unknown option \"size\" for data set \"text\" (text, label, test, length, min_count, max_vocab, vocab, sep)")
        #expect(diagnostic { _ = try DataSpec.parse("text:a.tsv?length=0", at: SourceLocation(file: "--data")) }?.description
            == "--data: error: length must be a positive integer up to \(Dataset.maxElements), got \"0\"")
        #expect(DataSpec.absolutized("text:d/a.tsv?test=d/b.tsv&length=8&vocab=v.txt", against: "/w")
            == "text:/w/d/a.tsv?test=/w/d/b.tsv&length=8&vocab=/w/v.txt")
        #expect(DataSpec.paths("text:/w/a.tsv?test=/w/b.tsv&length=8") == ["/w/a.tsv", "/w/b.tsv"])
    }

    @Test func pinnedVocabularyIsWrittenAndUsed() throws {
        let dir = try makeTempDir()
        let train = try file("label\ttext\npos\tgood good\nneg\tbad\n", "train.tsv", in: dir)
        let pinned = try #require(try DataSpec.pinVocabulary("text:\(train)?length=3", in: dir + "/exp/..", currentDirectory: "/"))
        #expect(pinned == "text:\(train)?length=3&vocab=\(dir)/vocab.txt")
        #expect(try String(contentsOfFile: dir + "/vocab.txt", encoding: .utf8) == "<pad>\n<unk>\ngood\nbad\n")
        // The pinned file wins over the training file: a new word is unknown.
        try write(Array("label\ttext\npos\tnew good\n".utf8), to: dir, "train.tsv")
        let d = try DataSpec.parse(pinned).load().train
        #expect(d.features == [1, 2, 0])
        #expect(try DataSpec.pinVocabulary(pinned, in: dir, currentDirectory: "/") == nil)
        #expect(try DataSpec.pinVocabulary("digits", in: dir, currentDirectory: "/") == nil)
    }

    /// The bundled fortunes set (examples/data/fortunes, from Debian's `fortunes` package): 4 classes, fixed split.
    @Test func bundledFortunes() throws {
        let dir = repositoryRoot + "/examples/data/fortunes"
        let spec = try DataSpec.parse("text:\(dir)/train.tsv?test=\(dir)/test.tsv&length=48&min_count=2")
        let s = try spec.load()
        #expect(s.train.count == 2408)
        #expect(s.test?.count == 601)
        #expect(s.train.classNames == ["computers", "politics", "science", "work"])
        #expect(s.train.classCounts() == [841, 563, 500, 504])
        let size = try #require(s.train.tokens?.size)
        #expect(size > 2000 && size < 20000)
        // Most test words are known (the vocabulary comes from the training file only).
        let test = try #require(s.test)
        let real = test.features.filter { $0 != 0 }
        let unknown = real.filter { $0 == 1 }.count
        #expect(Double(unknown) / Double(real.count) < 0.2)
    }
}
