// CSVLoaderTests: CSV features, headers, target columns, class names, regression, and located errors.
import Foundation
import NASCData
import NASCIR
import Testing

@Suite struct CSVLoaderTests {
    @Test func headerAndIntegerLabels() throws {
        let d = try CSVLoader.parse("a,b,label\n1,2,0\n3.5,-4e1,2\n\n", file: "t.csv")
        #expect(d.count == 2)
        #expect(d.sampleShape == [2])
        #expect(d.features == [1, 2, 3.5, -40])
        #expect(d.labels == [0, 2])
        #expect(d.numClasses == 3)
        #expect(d.classNames.isEmpty)
    }

    @Test func noHeaderDetected() throws {
        let d = try CSVLoader.parse("1,2,1\r\n3,4,0\r\n", file: "t.csv")
        #expect(d.count == 2)
        #expect(d.labels == [1, 0])
    }

    @Test func classNamesMapToSortedIndices() throws {
        let d = try CSVLoader.parse("x,species\n1,virginica\n2,setosa\n3,versicolor\n4,setosa\n", file: "t.csv")
        #expect(d.classNames == ["setosa", "versicolor", "virginica"])
        #expect(d.labels == [2, 0, 1, 0])
        #expect(d.numClasses == 3)
    }

    @Test func namedTargetColumnAndQuotes() throws {
        let opts = CSVOptions(target: .named("y"))
        let d = try CSVLoader.parse("y,\"f,1\",f2\ncat,1,\"2\"\ndog,3,4\n", file: "t.csv", options: opts)
        #expect(d.features == [1, 2, 3, 4])
        #expect(d.labels == [0, 1])
    }

    @Test func regressionTargets() throws {
        let d = try CSVLoader.parse("1,2,0.5\n3,4,-1.25\n", file: "r.csv", options: CSVOptions(task: .regression))
        #expect(d.targets == [0.5, -1.25])
        #expect(d.targetWidth == 1)
        #expect(d.numClasses == 0)
        let e = try #require(diagnostic {
            _ = try CSVLoader.parse("1,2,0.5\n3,4,big\n", file: "r.csv", options: CSVOptions(task: .regression))
        })
        #expect(e.description == "r.csv:2:5: error: regression target \"big\" is not a finite number")
    }

    @Test func raggedRow() throws {
        let d = try #require(diagnostic { _ = try CSVLoader.parse("a,b,c\n1,2,3\n4,5\n", file: "t.csv") })
        #expect(d.description == "t.csv:3:1: error: row has 2 columns but line 1 has 3")
        let e = try #require(diagnostic { _ = try CSVLoader.parse("1,2,3\n4,5,6,7\n", file: "t.csv") })
        #expect(e.description == "t.csv:2:7: error: row has 4 columns but line 1 has 3")
    }

    @Test func nonNumericCell() throws {
        let d = try #require(diagnostic { _ = try CSVLoader.parse("a,b,c\n1,2,3\n4,x5,6\n", file: "t.csv") })
        #expect(d.description == "t.csv:3:3: error: cell \"x5\" in column 1 (\"b\") is not a finite number")
        let e = try #require(diagnostic { _ = try CSVLoader.parse("1,2,3\n,5,6\n", file: "t.csv") })
        #expect(e.description == "t.csv:2:1: error: empty cell in column 0 is not a finite number")
        let f = try #require(diagnostic { _ = try CSVLoader.parse("1,nan,3\n", file: "t.csv") })
        #expect(f.location == SourceLocation(file: "t.csv", line: 1, column: 3))
    }

    @Test func labelOutOfRange() throws {
        let d = try #require(diagnostic { _ = try CSVLoader.parse("1,2\n3,-1\n", file: "t.csv") })
        #expect(d.description == "t.csv:2:3: error: label -1 is out of range 0..2")
        let e = try #require(diagnostic {
            _ = try CSVLoader.parse("1,2\n3,4\n", file: "t.csv", options: CSVOptions(numClasses: 4))
        })
        #expect(e.description == "t.csv:2:3: error: label 4 is out of range 0..3")
    }

    @Test func hugeLabelsAreRejectedNotAllocated() throws {
        let d = try #require(diagnostic { _ = try CSVLoader.parse("1,2\n3,9223372036854775807\n", file: "t.csv") })
        #expect(d.description == "t.csv:2:3: error: label 9223372036854775807 is too large (at most 1048576 classes)")
        let e = try #require(diagnostic { _ = try CSVLoader.parse("1,2\n", file: "t.csv", options: CSVOptions(numClasses: 0)) })
        #expect(e.message == "number of classes must be in 1...1048576, got 0")
    }

    @Test func headerProblems() throws {
        let d = try #require(diagnostic {
            _ = try CSVLoader.parse("a,b\n1,2\n", file: "t.csv", options: CSVOptions(target: .named("z")))
        })
        #expect(d.description == "t.csv:1:1: error: no column named \"z\" in the header (columns: \"a\", \"b\")")
        let e = try #require(diagnostic { _ = try CSVLoader.parse("a,b\n", file: "t.csv") })
        #expect(e.message == "CSV file has a header but no data rows")
        let f = try #require(diagnostic { _ = try CSVLoader.parse("\n\n", file: "t.csv") })
        #expect(f.message == "CSV file has no rows")
        let g = try #require(diagnostic { _ = try CSVLoader.parse("1,\"2\n", file: "t.csv") })
        #expect(g.description == "t.csv:1:3: error: unterminated quoted cell")
    }

    @Test func loadsFromDiskAndViaSpec() throws {
        let dir = try makeTempDir()
        let p = try write(Array("f1,f2,target\n1,2,3.5\n4,5,6\n7,8,9\n".utf8), to: dir, "reg.csv")
        let spec = try DataSpec.parse("csv:\(p)?target=target&task=regression")
        let splits = try spec.load()
        #expect(splits.train.targets == [3.5, 6, 9])
        #expect(splits.test == nil)
        let d = try #require(diagnostic { _ = try CSVLoader.load(path: dir + "/missing.csv") })
        #expect(d.description == "\(dir)/missing.csv: error: no such file")
        let bad = try write([0xFF, 0xFE, 0x31], to: dir, "bin.csv")
        let e = try #require(diagnostic { _ = try CSVLoader.load(path: bad) })
        #expect(e.message == "file is not valid UTF-8 text")
    }
}
