package dev.jgi.undertow;

/** What the request and response side of one exchange need to know about each other. */
final class ExchangeState {

    /** The client sent {@code Expect: 100-continue} on HTTP/1.1 and Undertow has not answered it. */
    final boolean expectContinue;

    /** {@code 100 Continue} went out (the application read the body). Only the request's thread touches it. */
    boolean continueSent;

    /**
     * The request body is over the limit (declared, or seen while reading): the response will
     * close the connection, after discarding a bounded amount of the rest of the body.
     */
    boolean bodyOverLimit;

    ExchangeState(boolean expectContinue) {
        this.expectContinue = expectContinue;
    }
}
