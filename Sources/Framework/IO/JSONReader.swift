/// A pull parser over JSON text: the caller asks for the value it expects next, so a decoder
/// for a known schema builds its own typed result without an intermediate tree.
///
/// Strict RFC 8259 syntax (no trailing commas, no comments, no leading zeros), strings checked
/// for valid UTF-8 and lone surrogates, nesting capped at `maxDepth` so hostile input can
/// neither overflow the stack nor allocate more than a small multiple of its own size.
struct JSONReader {
    /// A syntax error at a byte offset of the text.
    struct SyntaxError: Error, Equatable {
        let offset: Int
        let message: String
    }

    /// The kind of the next value, as told by its first byte.
    enum ValueKind: String {
        case object, array, string, number, bool, null
    }

    static let maxDepth = 64

    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    private(set) var position = 0
    /// For each open container, whether it already holds an item (so a comma must come next).
    private var hasItems: [Bool] = []

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The kind of the next value, without consuming it.
    mutating func peekKind() throws -> ValueKind {
        skipWhitespace()
        guard position < bytes.count else { throw fail("expected a value, found the end of the text") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        default: throw fail("expected a value, found \(describeByte(bytes[position]))")
        }
    }

    /// Consumes `{`; follow with `nextKey()` until it returns nil.
    mutating func beginObject() throws {
        try open(UInt8(ascii: "{"))
    }

    /// The next key of the innermost object (its `:` consumed), or nil after consuming `}`.
    mutating func nextKey() throws -> String? {
        guard try advanceToItem(closing: UInt8(ascii: "}")) else { return nil }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            throw fail("expected a string key")
        }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes `[`; follow with `nextElement()` until it returns false.
    mutating func beginArray() throws {
        try open(UInt8(ascii: "["))
    }

    /// Whether another element of the innermost array follows; consumes `]` when not.
    mutating func nextElement() throws -> Bool {
        try advanceToItem(closing: UInt8(ascii: "]"))
    }

    /// Reads a string value.
    mutating func readString() throws -> String {
        try expect(UInt8(ascii: "\""))
        var utf8: [UInt8] = []
        let start = position - 1
        while true {
            guard position < bytes.count else {
                throw SyntaxError(offset: start, message: "string never ends")
            }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: utf8, as: UTF8.self) else {
                    throw SyntaxError(offset: start, message: "string is not valid UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                try readEscape(into: &utf8)
            case 0..<0x20:
                throw SyntaxError(offset: position - 1, message: "control character \(describeByte(byte)) inside a string")
            default:
                utf8.append(byte)
            }
        }
    }

    /// Reads a number and returns its text exactly as written (integers stay exact).
    mutating func readNumber() throws -> String {
        skipWhitespace()
        let start = position
        if peekByte == UInt8(ascii: "-") { position += 1 }
        if peekByte == UInt8(ascii: "0") {
            position += 1
        } else {
            guard skipDigits() > 0 else { throw fail("expected a digit") }
        }
        if peekByte == UInt8(ascii: ".") {
            position += 1
            guard skipDigits() > 0 else { throw fail("expected a digit after '.'") }
        }
        if peekByte == UInt8(ascii: "e") || peekByte == UInt8(ascii: "E") {
            position += 1
            if peekByte == UInt8(ascii: "+") || peekByte == UInt8(ascii: "-") { position += 1 }
            guard skipDigits() > 0 else { throw fail("expected a digit in the exponent") }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws -> Bool {
        skipWhitespace()
        if readLiteral("true") { return true }
        if readLiteral("false") { return false }
        throw fail("expected true or false")
    }

    /// Reads `null`.
    mutating func readNull() throws {
        skipWhitespace()
        guard readLiteral("null") else { throw fail("expected null") }
    }

    /// Consumes one value of any kind, checking its syntax.
    mutating func skipValue() throws {
        switch try peekKind() {
        case .object:
            try beginObject()
            while try nextKey() != nil { try skipValue() }
        case .array:
            try beginArray()
            while try nextElement() { try skipValue() }
        case .string: _ = try readString()
        case .number: _ = try readNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
    }

    /// Checks that only whitespace remains.
    mutating func finish() throws {
        skipWhitespace()
        guard position == bytes.count else {
            throw fail("unexpected \(describeByte(bytes[position])) after the end of the value")
        }
    }

    // MARK: - Internals

    private var peekByte: UInt8? { position < bytes.count ? bytes[position] : nil }

    private func fail(_ message: String) -> SyntaxError {
        SyntaxError(offset: position, message: message)
    }

    private func describeByte(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipWhitespace()
        guard position < bytes.count else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))', found the end of the text")
        }
        guard bytes[position] == byte else {
            throw fail("expected '\(Character(Unicode.Scalar(byte)))', found \(describeByte(bytes[position]))")
        }
        position += 1
    }

    private mutating func open(_ bracket: UInt8) throws {
        guard hasItems.count < Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth) levels") }
        try expect(bracket)
        hasItems.append(false)
    }

    /// Handles the comma or closing bracket between items; true when an item follows.
    private mutating func advanceToItem(closing: UInt8) throws -> Bool {
        guard let open = hasItems.last else { throw fail("no open container") }
        skipWhitespace()
        if peekByte == closing {
            position += 1
            hasItems.removeLast()
            return false
        }
        if open {
            guard peekByte == UInt8(ascii: ",") else {
                let found = peekByte.map(describeByte) ?? "the end of the text"
                throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(found)")
            }
            position += 1
        }
        hasItems[hasItems.count - 1] = true
        return true
    }

    private mutating func skipDigits() -> Int {
        let start = position
        while let byte = peekByte, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { position += 1 }
        return position - start
    }

    private mutating func readLiteral(_ word: String) -> Bool {
        let word = Array(word.utf8)
        guard bytes.count - position >= word.count, Array(bytes[position..<position + word.count]) == word else {
            return false
        }
        position += word.count
        return true
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws {
        guard let byte = peekByte else { throw fail("escape sequence cut off by the end of the text") }
        position += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHex4())
            if (0xD800..<0xDC00).contains(scalar) {
                // A high surrogate must be followed by an escaped low surrogate.
                guard readLiteral("\\u") else { throw fail("unpaired surrogate \\u\(String(scalar, radix: 16))") }
                let low = UInt32(try readHex4())
                guard (0xDC00..<0xE000).contains(low) else { throw fail("unpaired surrogate \\u\(String(scalar, radix: 16))") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw fail("unpaired surrogate \\u\(String(scalar, radix: 16))")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw fail("invalid code point") }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            throw SyntaxError(offset: position - 1, message: "invalid escape \\\(describeByte(byte))")
        }
    }

    private mutating func readHex4() throws -> UInt16 {
        guard bytes.count - position >= 4 else { throw fail("\\u escape needs 4 hex digits") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("\\u escape needs 4 hex digits, found \(describeByte(byte))")
            }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }
}
