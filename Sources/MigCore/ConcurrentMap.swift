import Foundation

/// `body` for each of `0..<count` on every core, the results in index order; the error of the
/// lowest failing index is thrown, after every call has finished.
public func concurrentMap<Value: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> Value) throws -> [Value] {
    let results = OrderedResults<Value>(count: count)
    DispatchQueue.concurrentPerform(iterations: count) { index in
        results.store(index, Result { try body(index) })
    }
    return try results.all()
}

/// Results filled in from several threads.
private final class OrderedResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<Value, any Error>?]

    init(count: Int) {
        results = Array(repeating: nil, count: count)
    }

    func store(_ index: Int, _ result: Result<Value, any Error>) {
        lock.withLock { results[index] = result }
    }

    func all() throws -> [Value] {
        try lock.withLock { results }.map { try $0!.get() }
    }
}
