import Foundation

/// Which header-data unit of a FITS file to read: by 0-based number (0 is the primary HDU,
/// 1 the first extension — the numbering of astropy's `hdul[i]` and cfitsio's `file[i]`) or
/// by EXTNAME. In YAML, `hdu: 1` or `hdu: SCI`; in a path, `image.fits[1]` or `image.fits[SCI]`.
public enum FITSHDU: Sendable, Equatable, Codable, CustomStringConvertible {
    case index(Int)
    case name(String)

    /// Reads `1` as a number and anything else as an extension name.
    public init(parsing text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let n = Int(t) { self = .index(n) } else { self = .name(t) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .index(n) } else { self = FITSHDU(parsing: try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case let .index(n): try c.encode(n)
        case let .name(s): try c.encode(s)
        }
    }

    public var description: String {
        switch self {
        case let .index(n): return "HDU \(n)"
        case let .name(s): return "extension '\(s)'"
        }
    }

    /// Splits a trailing selector off a path: `a.fits[SCI]` → (`a.fits`, .name("SCI")).
    /// Paths without one come back unchanged with nil.
    public static func split(path: String) -> (file: String, hdu: FITSHDU?) {
        guard path.hasSuffix("]"), let open = path.lastIndex(of: "["), open > path.startIndex else { return (path, nil) }
        let inner = path[path.index(after: open)..<path.index(before: path.endIndex)]
        guard !inner.isEmpty else { return (path, nil) }
        return (String(path[..<open]), FITSHDU(parsing: String(inner)))
    }
}
