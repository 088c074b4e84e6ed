package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine library's per-user cache: written once, checked, repaired, safe to share. */
class EngineLibraryTest {
  @TempDir Path cache;

  private Map<String, String> env() {
    return Map.of("DEPLOYER_CACHE_DIR", cache.toString());
  }

  @Test
  void theLibraryIsWrittenOnceUnderItsHashAndReusedAfterwards() throws IOException {
    Path first = EngineLibrary.locate(env());
    FileTime written = Files.getLastModifiedTime(first);

    Path second = EngineLibrary.locate(env());

    assertThat(second).isEqualTo(first);
    assertThat(first.getParent().getFileName().toString())
        .isEqualTo(EngineLibrary.sha256(first))
        .hasSize(64);
    assertThat(first.getParent().getParent()).isEqualTo(cache.resolve("engine"));
    assertThat(Files.getLastModifiedTime(second)).isEqualTo(written);
  }

  @Test
  void aDamagedCachedLibraryIsDetectedAndReplaced() throws IOException {
    Path file = EngineLibrary.locate(env());
    String good = EngineLibrary.sha256(file);
    // A write into the middle, as a crash or a disk error would leave it: same size, new time.
    try (var channel =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap("damage".getBytes()), 4096);
    }
    assertThat(EngineLibrary.sha256(file)).isNotEqualTo(good);

    Path again = EngineLibrary.locate(env());

    assertThat(again).isEqualTo(file);
    assertThat(EngineLibrary.sha256(again)).isEqualTo(good);
  }

  @Test
  void aTruncatedCachedLibraryIsReplaced() throws IOException {
    Path file = EngineLibrary.locate(env());
    String good = EngineLibrary.sha256(file);
    Files.write(file, new byte[] {1, 2, 3});

    assertThat(EngineLibrary.sha256(EngineLibrary.locate(env()))).isEqualTo(good);
  }

  @Test
  void manyStartingAtOnceAllGetACompleteLibrary() throws Exception {
    int starts = 6;
    ExecutorService pool = Executors.newFixedThreadPool(starts);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Path>> results = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return EngineLibrary.locate(env());
                }));
      }
      go.countDown();
      String expected = null;
      for (Future<Path> result : results) {
        Path file = result.get();
        String hash = EngineLibrary.sha256(file);
        assertThat(hash).isEqualTo(file.getParent().getFileName().toString());
        expected = expected == null ? hash : expected;
        assertThat(hash).isEqualTo(expected);
      }
      // Only the library and the record of its check remain: no temporary file is left behind.
      try (var listing = Files.list(results.get(0).get().getParent())) {
        assertThat(listing.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("libdeployer-engine.so", "libdeployer-engine.so.checked");
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
