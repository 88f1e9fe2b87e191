public import MigCore
public import MigFormats
import Foundation

/// The files of a folder on disk as a `TreeSource`, for `init` in a repository whose migrations
/// are not committed yet. Paths keep their raw bytes; `.git` is skipped.
public struct WorkTreeSource: TreeSource {
    public let root: String

    public init(root: String) {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public func files(under directory: RepoPath) throws -> [TreeFile] {
        var files: [TreeFile] = []
        try collect(directory, into: &files)
        return files.sorted { $0.path < $1.path }
    }

    private func collect(_ path: RepoPath, into files: inout [TreeFile]) throws {
        let absolute = fileSystemPath(path)
        var status = stat()
        guard lstat(absolute, &status) == 0 else { return }
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            guard path.fileName.bytes != Array(".git".utf8) else { return }
            for name in try directoryEntries(absolute) {
                try collect(path.appending(RepoPath(bytes: name)), into: &files)
            }
        case S_IFLNK:
            files.append(TreeFile(path: path, objectID: "", mode: .symlink))
        case S_IFREG:
            let executable = status.st_mode & S_IXUSR != 0
            files.append(TreeFile(path: path, objectID: "", mode: executable ? .executable : .regular))
        default:
            return
        }
    }

    public func contents(of file: TreeFile) throws -> [UInt8] {
        let absolute = fileSystemPath(file.path)
        if file.mode == .symlink {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(absolute, &buffer, buffer.count - 1)
            guard length >= 0 else { throw WorkTreeError(path: file.path) }
            return buffer.prefix(length).map { UInt8(bitPattern: $0) }
        }
        let descriptor = open(absolute, O_RDONLY)
        guard descriptor >= 0 else { throw WorkTreeError(path: file.path) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            guard count >= 0 else { throw WorkTreeError(path: file.path) }
            if count == 0 { break }
            bytes += chunk.prefix(count)
        }
        return bytes
    }

    private func fileSystemPath(_ path: RepoPath) -> [CChar] {
        let bytes = Array(root.utf8) + (path.isEmpty ? [] : [UInt8(ascii: "/")] + path.bytes) + [0]
        return bytes.map { CChar(bitPattern: $0) }
    }

    private func directoryEntries(_ absolute: [CChar]) throws -> [[UInt8]] {
        guard let directory = opendir(absolute) else { return [] }
        defer { closedir(directory) }
        var names: [[UInt8]] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        return names
    }
}

/// A file of the work tree could not be read.
public struct WorkTreeError: Error, CustomStringConvertible {
    public let path: RepoPath
    public var description: String { "cannot read \(path) in the work tree" }
}
