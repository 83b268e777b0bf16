// A FIX 4.4 client built on QuickFIX (Debian's libquickfix-dev), the independent engine sauda's FIX acceptor is
// proven against. test/fix/quickfix.test.ts builds it with g++ and drives it: the client prints what it has done and
// waits for "GO" on standard input where the test must act through REST (trade against it, restart the exchange).
// Every check failure prints "FAIL <what>" and exits 1; success prints "DONE".
//
//   quickfix-client order-entry CONFIG STORE_DIR PORT USERNAME PASSWORD
//     Logon (SenderCompID KAZGPZ, TargetCompID SAUDA); refusals (off-lot quantity, a price finer than a tiyn);
//     place s1, amend it to s1a, a REST buy fills part of it; place s2, cancel it; cancel an unknown order;
//     disconnect without Logout and, while away, queue s3 (numbered and kept by QuickFIX's store) while the test
//     restarts the exchange and a REST buy fills s1a again; log on again: QuickFIX resends s3 after sauda's
//     ResendRequest, and
//     sauda resends the fill made while away; mass-cancel the account; order status of s1a; Logout.
//     Every ExecutionReport's quantities (tonnes) and prices (tenge per tonne) are checked.
//   quickfix-client drop-copy CONFIG STORE_DIR PORT USERNAME PASSWORD FILLS
//     Logon (TargetCompID SAUDA-DC); after the first fill, disconnect; on "GO" log on again and take the fills made
//     while away through the resend; print every fill as "FILL <ExecID> <OrderID> <LastQty> <LastPx> <TradeID>"
//     until FILLS fills were seen.

#include <quickfix/Application.h>
#include <quickfix/FileStore.h>
#include <quickfix/Message.h>
#include <quickfix/NullStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketInitiator.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>

namespace {

constexpr int WAIT_SECONDS = 20;

[[noreturn]] void fail(const std::string& what) {
  std::cout << "FAIL " << what << std::endl;
  std::exit(1);
}

std::string fieldOr(const FIX::FieldMap& map, int tag, const std::string& otherwise = "") {
  return map.isSetField(tag) ? map.getField(tag) : otherwise;
}

class Client : public FIX::Application {
 public:
  Client(std::string username, std::string password) : username_(std::move(username)), password_(std::move(password)) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    session_ = id;
    loggedOn_ = true;
    changed_.notify_all();
  }
  void onLogout(const FIX::SessionID&) override {
    std::lock_guard<std::mutex> lock(mutex_);
    loggedOn_ = false;
    changed_.notify_all();
  }
  void toAdmin(FIX::Message& message, const FIX::SessionID&) override {
    if (message.getHeader().getField(FIX::FIELD::MsgType) == "A") {
      message.setField(553, username_);
      message.setField(554, password_);
    }
  }
  void toApp(FIX::Message&, const FIX::SessionID&) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::RejectLogon) override {
    if (message.getHeader().getField(FIX::FIELD::MsgType) == "5") {
      std::lock_guard<std::mutex> lock(mutex_);
      lastLogoutText_ = fieldOr(message, 58);
    }
  }
  void fromApp(const FIX::Message& message, const FIX::SessionID&)
      throw(FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue, FIX::UnsupportedMessageType) override {
    std::lock_guard<std::mutex> lock(mutex_);
    received_.push_back(message);
    changed_.notify_all();
  }

  void waitLoggedOn(bool on) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!changed_.wait_for(lock, std::chrono::seconds(WAIT_SECONDS), [&] { return loggedOn_ == on; })) {
      fail(std::string(on ? "no logon" : "no logout") + " (last logout text: " + lastLogoutText_ + ")");
    }
  }

  /** The next application message (in arrival order) that passes `test`; messages before it are dropped. */
  FIX::Message next(const std::string& what, const std::function<bool(const FIX::Message&)>& test) {
    std::unique_lock<std::mutex> lock(mutex_);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(WAIT_SECONDS);
    for (;;) {
      while (!received_.empty()) {
        FIX::Message message = received_.front();
        received_.pop_front();
        if (test(message)) return message;
      }
      if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && received_.empty()) fail("timed out waiting for " + what);
    }
  }

  FIX::SessionID session() {
    std::lock_guard<std::mutex> lock(mutex_);
    return session_;
  }

 private:
  std::string username_;
  std::string password_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<FIX::Message> received_;
  FIX::SessionID session_;
  bool loggedOn_ = false;
  std::string lastLogoutText_;
};

std::string type(const FIX::Message& message) { return message.getHeader().getField(FIX::FIELD::MsgType); }

/** Checks one field of a report; `where` names the report in the failure. */
void expect(const FIX::Message& message, int tag, const std::string& value, const std::string& where) {
  std::string actual = fieldOr(message, tag, "(absent)");
  if (actual != value) fail(where + ": tag " + std::to_string(tag) + " is " + actual + ", expected " + value + " in " + message.toString());
}

/** Checks an ExecutionReport's state: ExecType, OrdStatus, OrderQty, CumQty, LeavesQty, AvgPx (tonnes, tenge/t). */
void expectReport(const FIX::Message& report, const std::string& where, const std::string& execType,
                  const std::string& ordStatus, const std::string& orderQty, const std::string& cumQty,
                  const std::string& leavesQty, const std::string& avgPx) {
  expect(report, 150, execType, where);
  expect(report, 39, ordStatus, where);
  expect(report, 38, orderQty, where);
  expect(report, 14, cumQty, where);
  expect(report, 151, leavesQty, where);
  expect(report, 6, avgPx, where);
}

std::function<bool(const FIX::Message&)> report(const std::string& clOrdId, const std::string& execType) {
  return [=](const FIX::Message& m) { return type(m) == "8" && fieldOr(m, 11) == clOrdId && fieldOr(m, 150) == execType; };
}

void waitForGo(const std::string& line) {
  std::cout << line << std::endl;
  std::string answer;
  if (!std::getline(std::cin, answer) || answer != "GO") fail("expected GO after " + line);
}

/** The config file with FileStorePath and SocketConnectPort added to its [DEFAULT] section. */
FIX::SessionSettings settingsFor(const std::string& config, const std::string& storeDir, int port) {
  std::ifstream file(config);
  if (!file) fail("cannot read " + config);
  std::stringstream text;
  std::string line;
  while (std::getline(file, line)) {
    text << line << "\n";
    if (line == "[DEFAULT]") text << "FileStorePath=" << storeDir << "\nSocketConnectPort=" << port << "\n";
  }
  std::istringstream input(text.str());
  return FIX::SessionSettings(input);
}

FIX::Message order(const std::string& clOrdId, const std::string& side, const std::string& price, const std::string& qty) {
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, "D");
  message.setField(11, clOrdId);
  message.setField(1, "KAZGPZ-1");
  message.setField(55, "PB-KAZGPZ-MNG-2026-01");
  message.setField(54, side);
  message.setField(40, "2");
  message.setField(44, price);
  message.setField(38, qty);
  message.setField(59, "1");
  message.setField(60, "20260105-06:00:00");
  return message;
}

FIX::Message cancel(const std::string& clOrdId, const std::string& orig) {
  FIX::Message message;
  message.getHeader().setField(FIX::FIELD::MsgType, "F");
  message.setField(11, clOrdId);
  message.setField(41, orig);
  message.setField(1, "KAZGPZ-1");
  message.setField(55, "PB-KAZGPZ-MNG-2026-01");
  message.setField(54, "2");
  message.setField(60, "20260105-06:00:00");
  return message;
}

/**
 * Drops the connection without a Logout and keeps the initiator from reconnecting until `logon()`: disabling the
 * session (QuickFIX's logout() only marks it; the Logout would go out on its next timer tick) and closing the socket
 * at once.
 */
void hangUp(const FIX::SessionID& id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (session == nullptr) fail("no QuickFIX session to hang up");
  session->logout();
  session->disconnect();
}

void send(FIX::Message message, const FIX::SessionID& session) {
  if (!FIX::Session::sendToTarget(message, session)) std::cout << "(queued while not logged on)" << std::endl;
}

int orderEntry(const std::string& config, const std::string& storeDir, int port, const std::string& user, const std::string& password) {
  Client client(user, password);
  FIX::SessionSettings settings = settingsFor(config, storeDir, port);
  FIX::FileStoreFactory stores(settings);
  auto initiator = std::make_unique<FIX::SocketInitiator>(client, stores, settings);
  initiator->start();
  client.waitLoggedOn(true);
  FIX::SessionID session = client.session();
  std::cout << "LOGGED-ON" << std::endl;

  // Refusals carry the registry's code and sentence.
  send(order("bad-lot", "2", "133000", "2.5"), session);
  FIX::Message offLot = client.next("reject of bad-lot", report("bad-lot", "8"));
  expect(offLot, 39, "8", "bad-lot");
  expect(offLot, 103, "13", "bad-lot");
  if (fieldOr(offLot, 58).rfind("ORDER_QUANTITY_OFF_LOT: Quantity 2500 is not a multiple of the lot size 1000", 0) != 0) fail("bad-lot text: " + fieldOr(offLot, 58));
  send(order("bad-px", "2", "133000.005", "1"), session);
  FIX::Message finePrice = client.next("reject of bad-px", report("bad-px", "8"));
  if (fieldOr(finePrice, 58).rfind("FIELD_INVALID: Field 'Price(44)' has value 133000.005", 0) != 0) fail("bad-px text: " + fieldOr(finePrice, 58));

  // Place, amend (cancel/replace), fill through REST.
  send(order("s1", "2", "133000", "5"), session);
  FIX::Message s1 = client.next("s1 new", report("s1", "0"));
  expectReport(s1, "s1 new", "0", "0", "5", "0", "5", "0");
  expect(s1, 44, "133000", "s1 new");
  std::string s1Id = fieldOr(s1, 37);

  FIX::Message replace;
  replace.getHeader().setField(FIX::FIELD::MsgType, "G");
  replace.setField(11, "s1a");
  replace.setField(41, "s1");
  replace.setField(1, "KAZGPZ-1");
  replace.setField(55, "PB-KAZGPZ-MNG-2026-01");
  replace.setField(54, "2");
  replace.setField(40, "2");
  replace.setField(44, "133100");
  replace.setField(38, "6");
  replace.setField(60, "20260105-06:00:00");
  send(replace, session);
  FIX::Message replaced = client.next("s1a replaced", report("s1a", "5"));
  expectReport(replaced, "s1a replaced", "5", "0", "6", "0", "6", "0");
  expect(replaced, 41, "s1", "s1a replaced");
  expect(replaced, 44, "133100", "s1a replaced");
  expect(replaced, 37, s1Id, "s1a replaced");

  waitForGo("REST-BUY 2 133100");
  FIX::Message fill = client.next("s1a fill", report("s1a", "F"));
  expectReport(fill, "s1a fill", "F", "1", "6", "2", "4", "133100");
  expect(fill, 32, "2", "s1a fill");
  expect(fill, 31, "133100", "s1a fill");

  // Place and cancel.
  send(order("s2", "2", "134000", "3"), session);
  client.next("s2 new", report("s2", "0"));
  send(cancel("s2c", "s2"), session);
  FIX::Message cancelled = client.next("s2 cancelled", report("s2c", "4"));
  expectReport(cancelled, "s2 cancelled", "4", "4", "3", "0", "0", "0");
  expect(cancelled, 41, "s2", "s2 cancelled");
  send(cancel("x1", "no-such-order"), session);
  FIX::Message refused = client.next("cancel reject", [](const FIX::Message& m) { return type(m) == "9" && fieldOr(m, 11) == "x1"; });
  expect(refused, 102, "1", "cancel reject");
  expect(refused, 434, "1", "cancel reject");
  if (fieldOr(refused, 58).rfind("ORDER_NOT_FOUND: ", 0) != 0) fail("cancel reject text: " + fieldOr(refused, 58));

  // Disconnect mid-session (no Logout), queue an order while away (QuickFIX numbers and stores it), log on again.
  hangUp(session);
  client.waitLoggedOn(false);
  waitForGo("DISCONNECTED");
  send(order("s3", "2", "135000", "1"), session);
  FIX::Session::lookupSession(session)->logon();
  client.waitLoggedOn(true);
  std::cout << "LOGGED-ON-AGAIN" << std::endl;
  FIX::Message missed = client.next("fill made while away", report("s1a", "F"));
  expectReport(missed, "fill while away", "F", "1", "6", "3", "3", "133100");
  expect(missed, 32, "1", "fill while away");
  if (fieldOr(missed.getHeader(), 43) != "Y") fail("the fill made while away was not resent with PossDupFlag(43)=Y");
  FIX::Message s3 = client.next("s3 new (resent by QuickFIX)", report("s3", "0"));
  expectReport(s3, "s3 new", "0", "0", "1", "0", "1", "0");

  // Mass cancel, then the order's status.
  FIX::Message mass;
  mass.getHeader().setField(FIX::FIELD::MsgType, "q");
  mass.setField(11, "mc1");
  mass.setField(530, "7");
  mass.setField(1, "KAZGPZ-1");
  mass.setField(60, "20260105-06:00:00");
  send(mass, session);
  FIX::Message s1aGone = client.next("s1a mass-cancelled", report("s1a", "4"));
  expectReport(s1aGone, "s1a mass-cancelled", "4", "4", "6", "3", "0", "133100");
  client.next("s3 mass-cancelled", report("s3", "4"));
  FIX::Message massReport = client.next("mass cancel report", [](const FIX::Message& m) { return type(m) == "r"; });
  expect(massReport, 531, "7", "mass cancel report");
  expect(massReport, 533, "2", "mass cancel report");

  FIX::Message status;
  status.getHeader().setField(FIX::FIELD::MsgType, "H");
  status.setField(11, "s1a");
  status.setField(1, "KAZGPZ-1");
  status.setField(55, "PB-KAZGPZ-MNG-2026-01");
  status.setField(54, "2");
  send(status, session);
  FIX::Message statusReport = client.next("order status", report("s1a", "I"));
  expectReport(statusReport, "order status", "I", "4", "6", "3", "0", "133100");

  initiator->stop();
  std::cout << "DONE" << std::endl;
  return 0;
}

int dropCopy(const std::string& config, const std::string& storeDir, int port, const std::string& user, const std::string& password, int fills) {
  Client client(user, password);
  FIX::SessionSettings settings = settingsFor(config, storeDir, port);
  FIX::FileStoreFactory stores(settings);
  auto initiator = std::make_unique<FIX::SocketInitiator>(client, stores, settings);
  initiator->start();
  client.waitLoggedOn(true);
  std::cout << "LOGGED-ON" << std::endl;
  auto isFill = [](const FIX::Message& m) { return type(m) == "8" && fieldOr(m, 150) == "F"; };
  int seen = 0;
  auto print = [&](const FIX::Message& m) {
    std::cout << "FILL " << fieldOr(m, 17) << " " << fieldOr(m, 37) << " " << fieldOr(m, 32) << " " << fieldOr(m, 31) << " " << fieldOr(m, 1003) << std::endl;
    seen++;
  };
  print(client.next("first fill", isFill));
  FIX::SessionID session = client.session();
  hangUp(session);
  client.waitLoggedOn(false);
  waitForGo("DC-DISCONNECTED");
  FIX::Session::lookupSession(session)->logon();
  client.waitLoggedOn(true);
  while (seen < fills) print(client.next("fill " + std::to_string(seen + 1), isFill));
  initiator->stop();
  std::cout << "DONE" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 7) {
    std::cerr << "usage: quickfix-client order-entry|drop-copy CONFIG STORE_DIR PORT USERNAME PASSWORD [FILLS]" << std::endl;
    return 2;
  }
  std::string mode = argv[1];
  try {
    if (mode == "order-entry") return orderEntry(argv[2], argv[3], std::atoi(argv[4]), argv[5], argv[6]);
    if (mode == "drop-copy" && argc >= 8) return dropCopy(argv[2], argv[3], std::atoi(argv[4]), argv[5], argv[6], std::atoi(argv[7]));
  } catch (const std::exception& error) {
    fail(std::string("exception: ") + error.what());
  }
  std::cerr << "unknown mode " << mode << std::endl;
  return 2;
}
