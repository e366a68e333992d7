/// Decoding and validating the JSON header against the data section it describes.
///
/// Checks follow the reference implementation (huggingface/safetensors): known dtypes,
/// non-negative shapes whose element and byte counts do not overflow, `end − begin` equal to
/// the byte count, and tensors that tile the data section exactly — sorted by offset, each
/// starting where the previous one ended, the first at 0 and the last ending at the end of
/// the file. Gaps and trailing bytes are therefore errors, as they are there. Beyond the
/// reference: shapes have at most `maxRank` dimensions, and duplicate keys are rejected rather
/// than silently keeping one of them.
extension SafeTensorsHeader {
    /// Decodes `json` (the header bytes) for a file at `path` whose data section starts at
    /// `dataStart` and holds `dataLength` bytes.
    init(json: [UInt8], dataStart: Int, dataLength: Int, path: String) throws {
        var decoder = HeaderDecoder(reader: JSONReader(json), path: path, dataLength: dataLength)
        let (tensors, metadata) = try decoder.decode()
        self.tensors = try Self.checkTiling(tensors, dataLength: dataLength, path: path)
        self.metadata = metadata
        self.dataStart = dataStart
        self.dataLength = dataLength
    }

    /// Sorts by offset and requires each tensor to start where the previous one ended.
    private static func checkTiling(_ tensors: [TensorInfo], dataLength: Int, path: String) throws -> [TensorInfo] {
        let sorted = tensors.sorted {
            ($0.dataRange.lowerBound, $0.dataRange.upperBound) < ($1.dataRange.lowerBound, $1.dataRange.upperBound)
                || ($0.dataRange == $1.dataRange && SafeTensors.nameOrder($0.name, $1.name))
        }
        var covered = 0
        var previous: TensorInfo?
        for tensor in sorted {
            let range = tensor.dataRange
            if range.lowerBound < covered, let previous {
                throw SafeTensorsError(.overlap, path: path, tensor: tensor.name,
                                       "data_offsets \(describe(range)) overlap tensor '\(previous.name)' at \(describe(previous.dataRange))")
            }
            if range.lowerBound > covered {
                let after = previous.map { " after tensor '\($0.name)'" } ?? ""
                throw SafeTensorsError(.uncoveredBytes, path: path, tensor: tensor.name,
                                       "data_offsets \(describe(range)) leave bytes [\(covered), \(range.lowerBound)) of the data section to no tensor\(after); the reference implementation requires tensors to be contiguous")
            }
            covered = range.upperBound
            previous = tensor
        }
        if covered != dataLength {
            let last = previous == nil ? "the header declares no tensors" : "the last tensor ends at \(covered)"
            throw SafeTensorsError(.uncoveredBytes, path: path, tensor: previous?.name,
                                   "the data section holds \(dataLength) bytes but \(last); the reference implementation rejects trailing bytes")
        }
        return sorted
    }

    static func describe(_ range: Range<Int>) -> String { "[\(range.lowerBound), \(range.upperBound)]" }
}

/// Walks the header JSON, building tensor declarations and the metadata map.
private struct HeaderDecoder {
    var reader: JSONReader
    let path: String
    let dataLength: Int

    mutating func decode() throws -> ([SafeTensorsHeader.TensorInfo], [String: String]) {
        do {
            let kind = try reader.peekKind()
            guard kind == .object else {
                throw SafeTensorsError(.headerSchema, path: path, "header is a JSON \(kind.rawValue), not an object")
            }
            var tensors: [SafeTensorsHeader.TensorInfo] = []
            var metadata: [String: String]?
            var seen = Set<String>()
            try reader.beginObject()
            while let key = try reader.nextKey() {
                if key == "__metadata__" {
                    guard metadata == nil else {
                        throw SafeTensorsError(.headerSchema, path: path, "'__metadata__' appears twice in the header")
                    }
                    metadata = try decodeMetadata()
                } else {
                    guard seen.insert(key).inserted else {
                        throw SafeTensorsError(.headerSchema, path: path, tensor: key, "appears twice in the header")
                    }
                    tensors.append(try decodeTensor(key))
                }
            }
            try reader.finish()
            return (tensors, metadata ?? [:])
        } catch let error as JSONReader.SyntaxError {
            throw SafeTensorsError(.headerSyntax, path: path,
                                   "header is not valid JSON: \(error.message) at byte \(error.offset) of the header")
        }
    }

    private mutating func decodeMetadata() throws -> [String: String] {
        var metadata: [String: String] = [:]
        let kind = try reader.peekKind()
        if kind == .null {
            // The reference implementation reads `null` as no metadata.
            try reader.readNull()
            return metadata
        }
        guard kind == .object else {
            throw SafeTensorsError(.headerSchema, path: path, "'__metadata__' is a JSON \(kind.rawValue), not an object of strings")
        }
        try reader.beginObject()
        while let key = try reader.nextKey() {
            let valueKind = try reader.peekKind()
            guard valueKind == .string else {
                throw SafeTensorsError(.headerSchema, path: path, "'__metadata__' key '\(key)' holds a JSON \(valueKind.rawValue), not a string")
            }
            guard metadata.updateValue(try reader.readString(), forKey: key) == nil else {
                throw SafeTensorsError(.headerSchema, path: path, "'__metadata__' has key '\(key)' twice")
            }
        }
        return metadata
    }

    private mutating func decodeTensor(_ name: String) throws -> SafeTensorsHeader.TensorInfo {
        let kind = try reader.peekKind()
        guard kind == .object else {
            throw SafeTensorsError(.headerSchema, path: path, tensor: name, "entry is a JSON \(kind.rawValue), not an object")
        }
        var dtypeName: String?
        var shape: [Int]?
        var offsets: [Int]?
        try reader.beginObject()
        while let field = try reader.nextKey() {
            switch field {
            case "dtype":
                guard dtypeName == nil else { throw duplicate(field, name) }
                let valueKind = try reader.peekKind()
                guard valueKind == .string else {
                    throw SafeTensorsError(.headerSchema, path: path, tensor: name, "'dtype' is a JSON \(valueKind.rawValue), not a string")
                }
                dtypeName = try reader.readString()
            case "shape":
                guard shape == nil else { throw duplicate(field, name) }
                shape = try decodeIntegers(field, name, kind: .invalidShape, limit: SafeTensorsHeader.maxRank)
            case "data_offsets":
                guard offsets == nil else { throw duplicate(field, name) }
                offsets = try decodeIntegers(field, name, kind: .invalidOffsets, limit: 2)
            default:
                // Like the reference implementation, ignore fields it does not know.
                try reader.skipValue()
            }
        }
        guard let dtypeName, let shape, let offsets else {
            let missing = [("dtype", dtypeName == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)]
                .filter(\.1).map { "'\($0.0)'" }.joined(separator: ", ")
            throw SafeTensorsError(.headerSchema, path: path, tensor: name, "entry lacks \(missing)")
        }
        return try validate(name, dtypeName: dtypeName, shape: shape, offsets: offsets)
    }

    /// Per-tensor checks: dtype, shape, and offsets against the byte count and the data section.
    private func validate(_ name: String, dtypeName: String, shape: [Int], offsets: [Int]) throws -> SafeTensorsHeader.TensorInfo {
        guard let dtype = SafeTensorsDType(rawValue: dtypeName) else {
            let known = SafeTensorsDType.allCases.map(\.rawValue).joined(separator: ", ")
            throw SafeTensorsError(.unknownDType, path: path, tensor: name, "unknown dtype '\(dtypeName)' (known: \(known))")
        }
        if let negative = shape.first(where: { $0 < 0 }) {
            throw SafeTensorsError(.invalidShape, path: path, tensor: name, "shape \(shape) has negative dimension \(negative)")
        }
        guard let count = Shape.count(shape) else {
            throw SafeTensorsError(.invalidShape, path: path, tensor: name, "shape \(shape) has more elements than fit in 64 bits")
        }
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else {
            throw SafeTensorsError(.invalidShape, path: path, tensor: name, "\(dtype.rawValue) × \(shape) needs more bytes than fit in 64 bits")
        }
        guard offsets.count == 2 else {
            throw SafeTensorsError(.invalidOffsets, path: path, tensor: name, "data_offsets \(offsets) must hold 2 integers")
        }
        let (begin, end) = (offsets[0], offsets[1])
        guard begin >= 0, end >= 0 else {
            throw SafeTensorsError(.invalidOffsets, path: path, tensor: name, "data_offsets \(offsets) are negative")
        }
        guard begin <= end else {
            throw SafeTensorsError(.invalidOffsets, path: path, tensor: name, "data_offsets \(offsets) are reversed")
        }
        guard end - begin == byteCount else {
            throw SafeTensorsError(.invalidOffsets, path: path, tensor: name,
                                   "data_offsets \(offsets) hold \(end - begin) bytes but \(dtype.rawValue) × \(shape) needs \(byteCount)")
        }
        guard end <= dataLength else {
            throw SafeTensorsError(.invalidOffsets, path: path, tensor: name,
                                   "data_offsets \(offsets) run past the data section, which holds \(dataLength) bytes (is the file truncated?)")
        }
        return SafeTensorsHeader.TensorInfo(name: name, dtype: dtype, shape: shape, dataRange: begin..<end)
    }

    /// An array of at most `limit` integers that fit in `Int`; `kind` classifies a number too
    /// large to fit and an array too long.
    private mutating func decodeIntegers(_ field: String, _ name: String, kind: SafeTensorsError.Kind, limit: Int) throws -> [Int] {
        let arrayKind = try reader.peekKind()
        guard arrayKind == .array else {
            throw SafeTensorsError(.headerSchema, path: path, tensor: name, "'\(field)' is a JSON \(arrayKind.rawValue), not an array of integers")
        }
        var values: [Int] = []
        try reader.beginArray()
        while try reader.nextElement() {
            guard values.count < limit else {
                throw SafeTensorsError(kind, path: path, tensor: name, "'\(field)' holds more than \(limit) integers")
            }
            let elementKind = try reader.peekKind()
            guard elementKind == .number else {
                throw SafeTensorsError(.headerSchema, path: path, tensor: name, "'\(field)' holds a JSON \(elementKind.rawValue), not an integer")
            }
            let text = try reader.readNumber()
            guard let value = Int(text) else {
                let isInteger = text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
                guard isInteger else {
                    throw SafeTensorsError(.headerSchema, path: path, tensor: name, "'\(field)' holds \(text), not an integer")
                }
                let sign = text.hasPrefix("-") ? "is negative and " : ""
                throw SafeTensorsError(kind, path: path, tensor: name, "'\(field)' entry \(text) \(sign)does not fit in 64 bits")
            }
            values.append(value)
        }
        return values
    }

    private func duplicate(_ field: String, _ name: String) -> SafeTensorsError {
        SafeTensorsError(.headerSchema, path: path, tensor: name, "entry has '\(field)' twice")
    }
}
