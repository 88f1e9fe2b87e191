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

/// `background` on another thread while `body` runs on this one; both results once both end.
public func concurrently<Background: Sendable, Result>(_ background: @escaping @Sendable () -> Background,
                                                       _ body: () throws -> Result) rethrows -> (Background, Result) {
    let slot = Slot<Background>()
    let done = DispatchGroup()
    DispatchQueue.global().async(group: done) { slot.value = background() }
    // also when `body` throws: the other thread's work ends before this call does
    defer { done.wait() }
    let result = try body()
    done.wait()
    return (slot.value!, result)
}

/// One value handed from one thread to another; the DispatchGroup orders the accesses.
private final class Slot<Value>: @unchecked Sendable {
    var value: Value?
}
