import Foundation

/// Reading and writing the safetensors format, the weights format of the Hugging Face hub.
///
/// Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON mapping each tensor
/// name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to the first
/// byte after the header) plus an optional `"__metadata__"` map of strings, then the data.
///
/// Reading never trusts a size before checking it against the file: the header is read only
/// once its length is known to fit both the file and `maxHeaderLength`, and tensor bytes only
/// once the whole header has been validated. Files are read through a `FileHandle`, one tensor
/// at a time, so memory is the decoded Float values plus one tensor's bytes.
public enum SafeTensors {
    /// The largest header accepted, as in the reference implementation (100 MB).
    public static let maxHeaderLength = 100_000_000

    /// Reads and validates only the header: the tensors' names, types, shapes and offsets.
    public static func readHeader(path: String) throws -> SafeTensorsHeader {
        let file = try openForReading(path)
        defer { try? file.close() }
        return try readHeader(file, path: path)
    }

    /// Reads every tensor of a file, converting elements to Float.
    public static func read(path: String) throws -> SafeTensorsFile {
        let file = try openForReading(path)
        defer { try? file.close() }
        let header = try readHeader(file, path: path)
        var entries: [String: SafeTensorsEntry] = [:]
        entries.reserveCapacity(header.tensors.count)
        for info in header.tensors {
            let bytes = try readExactly(file, at: header.dataStart + info.dataRange.lowerBound,
                                        count: info.dataRange.count, path: path, tensor: info.name)
            let values = bytes.withUnsafeBytes { info.dtype.decode($0) }
            entries[info.name] = SafeTensorsEntry(name: info.name, dtype: info.dtype, shape: info.shape, values: values)
        }
        return SafeTensorsFile(path: path, entries: entries, metadata: header.metadata)
    }

    /// The order tensors are written and listed in: byte order of the UTF-8 names, which is
    /// what a Rust or Python writer's sort gives for the same names.
    static func nameOrder(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    // MARK: - Reading

    private static func openForReading(_ path: String) throws -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SafeTensorsError(.io, path: path, "no such file")
        }
        guard !isDirectory.boolValue else { throw SafeTensorsError(.io, path: path, "is a directory, not a file") }
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw SafeTensorsError(.io, path: path, "cannot be opened for reading")
        }
        return file
    }

    private static func readHeader(_ file: FileHandle, path: String) throws -> SafeTensorsHeader {
        let fileSize: Int
        do {
            fileSize = Int(try file.seekToEnd())
        } catch {
            throw SafeTensorsError(.io, path: path, "cannot find the file's size: \(error.localizedDescription)")
        }
        guard fileSize >= 8 else {
            throw SafeTensorsError(.headerLength, path: path,
                                   "file is \(fileSize) bytes, too short for the 8-byte header length")
        }
        let prefix = try readExactly(file, at: 0, count: 8, path: path, tensor: nil)
        let declared = prefix.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared <= UInt64(maxHeaderLength) else {
            throw SafeTensorsError(.headerLength, path: path,
                                   "header length \(declared) exceeds the limit of \(maxHeaderLength) bytes")
        }
        let headerLength = Int(declared)
        guard headerLength <= fileSize - 8 else {
            throw SafeTensorsError(.headerLength, path: path,
                                   "header length \(headerLength) runs past the end of the file (\(fileSize) bytes, so at most \(fileSize - 8))")
        }
        let json = try readExactly(file, at: 8, count: headerLength, path: path, tensor: nil)
        return try SafeTensorsHeader(json: json, dataStart: 8 + headerLength,
                                     dataLength: fileSize - 8 - headerLength, path: path)
    }

    /// Reads `count` bytes at `offset`; the caller has checked both against the file size.
    private static func readExactly(_ file: FileHandle, at offset: Int, count: Int,
                                    path: String, tensor: String?) throws -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        do {
            try file.seek(toOffset: UInt64(offset))
            // Reads in bounded chunks so that Foundation never buffers more than one chunk.
            while bytes.count < count {
                guard let chunk = try file.read(upToCount: min(count - bytes.count, 1 << 24)), !chunk.isEmpty else { break }
                bytes.append(contentsOf: chunk)
            }
        } catch {
            throw SafeTensorsError(.io, path: path, tensor: tensor,
                                   "cannot read \(count) bytes at offset \(offset): \(error.localizedDescription)")
        }
        guard bytes.count == count else {
            throw SafeTensorsError(.io, path: path, tensor: tensor,
                                   "file ended after \(bytes.count) of \(count) bytes at offset \(offset) (did it change while being read?)")
        }
        return bytes
    }
}
