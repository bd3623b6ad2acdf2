package com.couponrush.lock;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Releasing a lock before the transaction it guarded has committed lets the next holder read the old
 * count and write over it: the seed's trouble-shooting #2. So a release requested inside a transaction
 * waits for that transaction to complete (commit or rollback) on this thread.
 */
final class ReleaseAfterTransaction {

    private ReleaseAfterTransaction() {
    }

    static void release(HeldLock held) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            held.release();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                held.release();
            }
        });
    }
}
