import Foundation

/// Writing safetensors files atomically.
extension SafeTensors {
    /// Writes `entries` (F32 or I64) and `metadata` to `path`, replacing any existing file.
    ///
    /// Tensors are stored sorted by name with contiguous offsets, and the header is padded with
    /// spaces to a multiple of 8 bytes, as the reference writer does, so that every tensor's
    /// data starts 8-byte aligned. (The reference writer first groups tensors by dtype
    /// alignment; sorting by name alone keeps the same order as `names`, and any order of
    /// contiguous tensors is valid to every reader.) The bytes go to a temporary file in the
    /// same folder, which is then renamed over `path`, so a crash never leaves a half-written
    /// checkpoint.
    public static func write(_ entries: [SafeTensorsEntry], metadata: [String: String] = [:], to path: String) throws {
        let sorted = entries.sorted { nameOrder($0.name, $1.name) }
        try checkWritable(sorted, path: path)
        let header = headerBytes(sorted, metadata: metadata)

        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp").path
        guard FileManager.default.createFile(atPath: temporary, contents: nil),
              let file = FileHandle(forWritingAtPath: temporary) else {
            throw SafeTensorsError(.io, path: path, "cannot create a temporary file in \(url.deletingLastPathComponent().path)")
        }
        var renamed = false
        defer {
            if !renamed { try? FileManager.default.removeItem(atPath: temporary) }
        }
        do {
            defer { try? file.close() }
            var length = UInt64(header.count).littleEndian
            try file.write(contentsOf: Data(bytes: &length, count: 8))
            try file.write(contentsOf: header)
            for entry in sorted {
                try file.write(contentsOf: try encode(entry, path: path))
            }
            try file.synchronize()
        } catch let error as SafeTensorsError {
            throw error
        } catch {
            throw SafeTensorsError(.io, path: path, "cannot write: \(error.localizedDescription)")
        }
        // rename(2) replaces the destination atomically within one file system.
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            throw SafeTensorsError(.io, path: path, "cannot move the temporary file into place: \(reason)")
        }
        renamed = true
    }

    /// Rejects what the header could not describe: duplicate or reserved names, types other
    /// than F32 and I64, and value counts that disagree with the shape.
    private static func checkWritable(_ sorted: [SafeTensorsEntry], path: String) throws {
        for (i, entry) in sorted.enumerated() {
            guard entry.name != "__metadata__" else {
                throw SafeTensorsError(.unwritable, path: path, tensor: entry.name, "name is reserved for the metadata map")
            }
            if i > 0, sorted[i - 1].name == entry.name {
                throw SafeTensorsError(.unwritable, path: path, tensor: entry.name, "appears twice among the entries")
            }
            guard entry.dtype.isWritable else {
                throw SafeTensorsError(.unwritable, path: path, tensor: entry.name,
                                       "dtype \(entry.dtype.rawValue) cannot be written; use F32 or I64")
            }
            guard let count = Shape.count(entry.shape), count == entry.values.count else {
                throw SafeTensorsError(.unwritable, path: path, tensor: entry.name,
                                       "shape \(entry.shape) does not hold the \(entry.values.count) values given")
            }
        }
    }

    private static func encode(_ entry: SafeTensorsEntry, path: String) throws -> Data {
        do {
            return Data(try entry.dtype.encode(entry.values))
        } catch .unrepresentable(let index, let value) {
            throw SafeTensorsError(.unwritable, path: path, tensor: entry.name,
                                   "value \(value) at index \(index) is not an integer that \(entry.dtype.rawValue) can hold")
        } catch .unsupportedType {
            throw SafeTensorsError(.unwritable, path: path, tensor: entry.name,
                                   "dtype \(entry.dtype.rawValue) cannot be written; use F32 or I64")
        }
    }

    /// The header JSON, compact like the reference writer's, padded with spaces to 8 bytes.
    static func headerBytes(_ sorted: [SafeTensorsEntry], metadata: [String: String]) -> Data {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted(by: nameOrder).map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for entry in sorted {
            let end = offset + entry.values.count * entry.dtype.byteSize
            let shape = entry.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(entry.name)):{\"dtype\":\"\(entry.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Data("{\(fields.joined(separator: ","))}".utf8)
        bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// A JSON string literal, escaping as serde_json does (short escapes where JSON has them).
    static func jsonString(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
