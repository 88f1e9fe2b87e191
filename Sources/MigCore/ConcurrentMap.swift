import Foundation

/// `body` for each of `0..<count` on every core, the results in index order; the error of the
/// lowest failing index is thrown, after every call has finished.
public func concurrentMap<Value: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> Value) throws -> [Value] {
    let results = Locked<[Result<Value, any Error>?]>(Array(repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { index in
        let result = Result { try body(index) }
        results.withLock { $0[index] = result }
    }
    return try results.withLock { $0 }.map { try $0!.get() }
}

/// `background` on another thread while `body` runs on this one; both results once both end.
public func concurrently<Background: Sendable, Result>(_ background: @escaping @Sendable () -> Background,
                                                       _ body: () throws -> Result) rethrows -> (Background, Result) {
    let slot = Locked<Background?>(nil)
    let done = DispatchGroup()
    DispatchQueue.global().async(group: done) {
        let value = background()
        slot.withLock { $0 = value }
    }
    // also when `body` throws: the other thread's work ends before this call does
    defer { done.wait() }
    let result = try body()
    done.wait()
    return (slot.withLock { $0 }!, result)
}
