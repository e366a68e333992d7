import TestSupport
import Foundation
import Testing
@testable import Framework

@Suite("CSV reading and writing (RFC 4180)")
struct CSVTableTests {
    @Test func plainTable() throws {
        let t = try CSVTable(parsing: "id_str,ring\na,1\nb,0\n", source: "c.csv")
        #expect(t.header == ["id_str", "ring"])
        #expect(t.rows == [["a", "1"], ["b", "0"]])
        #expect(t.lines == [2, 3])
        #expect(t.column("ring") == ["1", "0"])
        #expect(t.column("nope") == nil)
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nplain,\"\",last\n"
        let t = try CSVTable(parsing: text)
        #expect(t.rows == [["x, y", "say \"hi\"", "two\nlines"], ["plain", "", "last"]])
        // The second record starts on line 4 because the first spans lines 2–3.
        #expect(t.lines == [2, 4])
    }

    @Test func crlfBomAndMissingFinalNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("id_str,x\r\na,\"1\r\n2\"\r\nb,3".utf8)
        let t = try CSVTable(parsing: bytes)
        #expect(t.header == ["id_str", "x"])  // BOM gone from the first column name
        #expect(t.rows == [["a", "1\r\n2"], ["b", "3"]])
        #expect(t.lines == [2, 4])
    }

    @Test func emptyFieldsAtEndsAndSkippedBlankLines() throws {
        let t = try CSVTable(parsing: "a,b,c\n,,\n\n1,,\n\r\n,2,\n")
        #expect(t.rows == [["", "", ""], ["1", "", ""], ["", "2", ""]])
        #expect(t.lines == [2, 4, 6])
    }

    @Test func wrongFieldCountNamesFileAndLine() throws {
        let text = "a,b\n1,2\n\"multi\nline\",3\n4,5,6\n"
        #expect(throws: CSVError.fieldCount(path: "cat.csv", line: 5, expected: 2, found: 3)) {
            try CSVTable(parsing: text, source: "cat.csv")
        }
        let e = CSVError.fieldCount(path: "cat.csv", line: 5, expected: 2, found: 3)
        #expect(e.description == "cat.csv:5: expected 2 fields (as in the header), found 3")
    }

    @Test func malformedQuotingIsAnError() throws {
        #expect(throws: CSVError.unterminatedQuote(path: "q.csv", line: 2)) {
            try CSVTable(parsing: "a\n\"open\nstill open\n", source: "q.csv")
        }
        #expect(throws: CSVError.self) { try CSVTable(parsing: "a,b\nx\"y,1\n") }
        #expect(throws: CSVError.self) { try CSVTable(parsing: "a,b\n\"x\"y,1\n") }
        #expect(throws: CSVError.empty(path: "e.csv")) { try CSVTable(parsing: "", source: "e.csv") }
        #expect(throws: CSVError.duplicateColumn(path: "d.csv", name: "a")) {
            try CSVTable(parsing: "a,b,a\n1,2,3\n", source: "d.csv")
        }
        #expect(throws: CSVError.notUTF8(path: "u.csv")) { try CSVTable(parsing: [0x61, 0x0A, 0xFF, 0x0A], source: "u.csv") }
    }

    @Test func writerQuotesOnlyWhenNeededAndRoundTrips() throws {
        let rows = [["plain", "has,comma", "has \"quote\""], ["multi\nline", " padded", ""], ["", "", "ü"]]
        let t = CSVTable(header: ["a", "b", "c"], rows: rows)
        let text = t.encoded()
        #expect(text.hasPrefix("a,b,c\nplain,\"has,comma\",\"has \"\"quote\"\"\"\n"))
        let back = try CSVTable(parsing: text)
        #expect(back.header == t.header)
        #expect(back.rows == rows)
        // A one-column table with an empty value must not turn into a skipped blank line.
        let single = CSVTable(header: ["x"], rows: [[""], ["1"]])
        #expect(try CSVTable(parsing: single.encoded()).rows == [[""], ["1"]])
    }

    @Test func atomicWriteLeavesNoTemporaryFiles() throws {
        let dir = try TemporaryFolder()
        let path = dir.file("out.csv")
        try CSVTable(header: ["a"], rows: [["1"]]).write(to: path)
        try CSVTable(header: ["a"], rows: [["2"]]).write(to: path)  // replaces, not appends
        #expect(try CSVTable.read(path: path).rows == [["2"]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
        #expect(throws: CSVError.self) { try CSVTable(header: ["a", "b"], rows: [["1"]]).write(to: path) }
        #expect(throws: FileError.self) { try CSVTable.read(path: dir.file("missing.csv")) }
    }
}
