/// Size and nesting limits for YAML read as configuration. Yams composes (and the decoder
/// walks) the node tree recursively, one stack frame per level, so a few thousand `[` crashed
/// the process; the text is scanned for depth before it is composed.
public enum ConfigLimits {
    /// Experiment files and decision trees are a few kilobytes.
    public static let maxBytes = 1 << 20
    /// Collections inside collections; real configs stay under 10.
    public static let maxDepth = 64

    /// Throws a positioned error if `text` is larger than `maxBytes` or nests flow (`[`, `{`)
    /// or block (indentation, `- `) collections deeper than `maxDepth`. The scan is
    /// conservative: quoted text, comments and block scalars are skipped, so it counts no
    /// deeper than Yams would.
    public static func check(_ text: String, file: String) throws {
        let size = text.utf8.count
        guard size <= maxBytes else {
            throw ConfigError(file: file, message: "the file is \(size) bytes; YAML configuration may be at most \(maxBytes) bytes")
        }
        var blocks: [Int] = []  // indentation of the open block collections
        var flow = 0
        var quote: UInt8? = nil
        var blockScalarIndent: Int? = nil
        for (n, lineText) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Array(lineText.utf8)
            func fail(_ column: Int) -> ConfigError {
                ConfigError(file: file, line: n + 1, column: column + 1,
                            message: "collections nest deeper than \(maxDepth) levels (the limit for YAML configuration)",
                            sourceLine: String(lineText))
            }
            var col = 0
            while col < line.count, line[col] == UInt8(ascii: " ") { col += 1 }
            let blank = col == line.count || line[col] == UInt8(ascii: "#")
            if let indent = blockScalarIndent {
                if blank || col > indent { continue }
                blockScalarIndent = nil
            }
            if flow == 0, quote == nil {
                if blank { continue }
                while let last = blocks.last, last > col { blocks.removeLast() }
                if blocks.last != col { blocks.append(col) }
                // `- - x`: each dash opens a sequence one level deeper.
                while col + 1 < line.count, line[col] == UInt8(ascii: "-"), line[col + 1] == UInt8(ascii: " ") {
                    col += 2
                    while col < line.count, line[col] == UInt8(ascii: " ") { col += 1 }
                    blocks.append(col)
                }
                if blocks.count > maxDepth { throw fail(col) }
            }
            var previous = UInt8(ascii: " ")
            var lastToken: ArraySlice<UInt8> = []
            var tokenStart = col
            while col < line.count {
                let c = line[col]
                if let q = quote {
                    if c == UInt8(ascii: "\\"), q == UInt8(ascii: "\"") { col += 2; continue }
                    if c == q { quote = nil }
                } else if c == UInt8(ascii: "#"), previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t") {
                    break
                } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'"), Array(" \t[{,:-".utf8).contains(previous) {
                    quote = c
                } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                    flow += 1
                    if blocks.count + flow > maxDepth { throw fail(col) }
                } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                    flow = max(0, flow - 1)
                }
                if c == UInt8(ascii: " ") { tokenStart = col + 1 } else { lastToken = line[tokenStart...col] }
                previous = c
                col += 1
            }
            // `key: |` or `- >-`: the lines below, indented further, are text.
            if flow == 0, quote == nil, let first = lastToken.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ">"),
               lastToken.dropFirst().allSatisfy({ Array("+-0123456789".utf8).contains($0) }) {
                blockScalarIndent = blocks.last ?? 0
            }
        }
    }
}
