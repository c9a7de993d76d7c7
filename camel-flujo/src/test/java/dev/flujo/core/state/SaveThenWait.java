package dev.flujo.core.state;

/**
 * Run in a forked JVM by {@link SqliteKilledJvmTest}: saves a paused run, says so on stdout, then waits to be killed.
 * Nothing is closed or flushed on purpose: the kill is a {@code kill -9}.
 */
public final class SaveThenWait {

    private SaveThenWait() {
    }

    public static void main(String[] args) throws Exception {
        new JdbcStateStore(args[0]).save(StateStoreContract.paused(args[1]));
        System.out.println("SAVED " + args[1]);
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
