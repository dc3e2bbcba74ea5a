#!/usr/bin/python3
"""crm_shapes.py - export files shaped like the real CRM exports that
docs and issue 12 describe ("Learned from real exports"), for the tests of
`salesfocus init` and XLSX input. Each shape writes its files into DIR and
an expect.json with what init should find and what the run should count.

usage: crm_shapes.py SHAPE DIR      (SHAPE: one of SHAPES below, or "list")

The books are small (about 200 deals) and deterministic (a seeded random
generator). XLSX files are written by openpyxl, a real writer: dates as
date cells (Excel serials with a date style), numbers as numbers.
"""
import csv
import datetime as dt
import io
import json
import os
import random
import sys

import openpyxl

AS_OF = dt.date(2025, 6, 30)
D0 = dt.date(2024, 7, 1)


class Book:
    """Companies, people and deals, the same for every shape."""

    def __init__(self, seed, companies, deals, names, cities, stages_open):
        r = random.Random(seed)
        self.r = r
        self.companies = [(f"{i + 1}", names[i % len(names)] + ("" if i < len(names) else f" {i}"),
                           cities[i % len(cities)]) for i in range(companies)]
        self.deals = []
        for i in range(deals):
            comp = self.companies[r.randrange(companies)]
            created = D0 + dt.timedelta(days=r.randrange(0, 330))
            roll = r.random()
            status = "won" if roll < 0.45 else "lost" if roll < 0.7 else "open"
            close = None
            if status != "open":
                close = created + dt.timedelta(days=r.choice([0, 0, 1, 5, 20, 40]))
                close = min(close, AS_OF)
            amount = r.choice([1200, 2500, 4800.5, 9990, 15000, 150000, 1234.56])
            self.deals.append({"id": i + 1, "company": comp, "created": created, "status": status,
                               "close": close, "amount": amount, "stage_open": r.choice(stages_open),
                               "owner": r.randrange(3)})

    def won(self):
        return sum(1 for d in self.deals if d["status"] == "won")


def write_csv(path, header, rows, delimiter=",", encoding="utf-8", quote_all=False, bom=False, newline="\r\n"):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=newline,
                   quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    w.writerow(header)
    for row in rows:
        w.writerow(row)
    data = buf.getvalue().encode(encoding)
    with open(path, "wb") as f:
        if bom:
            f.write(b"\xef\xbb\xbf")
        f.write(data)


def write_xlsx(path, header, rows, date_fmt="yyyy-mm-dd", sheet="Export"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = date_fmt
    wb.save(path)


def expect(dirpath, **kw):
    with open(os.path.join(dirpath, "expect.json"), "w", encoding="utf-8") as f:
        json.dump(kw, f, ensure_ascii=False, indent=1, default=str)


# ---------------------------------------------------------------------------
# Salesforce Data Export Service: API names, every field quoted, ISO-8859-1,
# NUL bytes and line breaks in rich text, Task Type blank (Subject says what
# it was), 18-character owner ids, several currencies, Spanish stage names,
# deals entered at close, Task.csv and Event.csv, User.csv.

def sf_id(prefix, n):
    return f"{prefix}8a00000{n:06d}AAA"[:18]


def salesforce_api(d):
    b = Book(11, 40, 200, ["José Pérez SA", "Compañía Ñandú", "Ana María Núñez", "Distribuidora Bogotá",
                           "Peñarol Ltda", "Ingeniería Andina", "Café Perú"],
             ["Ciudad de México", "Bogotá", "Lima", "Medellín"], ["Prospección", "Propuesta", "Negociación"])
    owners = [sf_id("005", i + 1) for i in range(3)]
    acc_rows = []
    for cid, name, city in b.companies:
        acc_rows.append([sf_id("001", int(cid)), "false", "", name, "Customer", "", city, "México",
                         b.r.choice(["Retail", "Manufacturing", "Servicios"]), "1500000", str(b.r.randrange(5, 500)),
                         owners[int(cid) % 3], "2023-01-05 10:00:00", "MXN"])
    write_csv(os.path.join(d, "Account.csv"),
              ["Id", "IsDeleted", "MasterRecordId", "Name", "Type", "ParentId", "BillingCity", "BillingCountry",
               "Industry", "AnnualRevenue", "NumberOfEmployees", "OwnerId", "CreatedDate", "CurrencyIsoCode"],
              acc_rows, encoding="latin-1", quote_all=True)
    opp_rows, currencies = [], {}
    for i, x in enumerate(b.deals):
        stage = {"won": "Cerrada ganada", "lost": "Cerrada perdida"}.get(x["status"], x["stage_open"])
        close = x["close"] or (x["created"] + dt.timedelta(days=60))
        cur = "MXN" if i % 10 < 8 else ("USD" if i % 10 == 8 else "COP")
        currencies[cur] = currencies.get(cur, 0) + 1
        desc = "Nota: línea uno\nlínea dos"
        if i % 40 == 0:
            desc = "texto con\x00nulo"  # a NUL byte in an unmapped rich-text column: costs nothing
        opp_rows.append([sf_id("006", x["id"]), sf_id("001", int(x["company"][0])), f"Oportunidad {x['id']}", stage,
                         f"{x['amount']:.2f}", "100" if x["status"] == "won" else "40", close.isoformat(),
                         "New Business", "Llamar al cliente", "true" if x["status"] != "open" else "false",
                         "true" if x["status"] == "won" else "false", owners[x["owner"]],
                         x["created"].isoformat() + " 09:15:00", cur, desc, "x"])
    write_csv(os.path.join(d, "Opportunity.csv"),
              ["Id", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate", "Type", "NextStep",
               "IsClosed", "IsWon", "OwnerId", "CreatedDate", "CurrencyIsoCode", "Description", "Custom__c"],
              opp_rows, encoding="latin-1", quote_all=True)
    subjects = ["Call", "Email", "Llamada", "Call", "Email"]
    task_rows = []
    for i in range(300):
        acc = sf_id("001", 1 + i % 40)
        day = D0 + dt.timedelta(days=i % 360)
        task_rows.append([sf_id("00T", i + 1), "", "", acc, subjects[i % 5], day.isoformat(), "Completed", "Normal",
                          owners[i % 3], "Call" if i % 25 == 0 else "", day.isoformat() + " 08:00:00"])
    write_csv(os.path.join(d, "Task.csv"),
              ["Id", "WhoId", "WhatId", "AccountId", "Subject", "ActivityDate", "Status", "Priority", "OwnerId",
               "Type", "CreatedDate"], task_rows, encoding="latin-1", quote_all=True)
    ev_rows = []
    for i in range(60):
        day = D0 + dt.timedelta(days=i * 5)
        ev_rows.append([sf_id("00U", i + 1), sf_id("001", 1 + i % 40), "Reunión", day.isoformat() + " 10:00:00",
                        day.isoformat(), "60", owners[i % 3], "Meeting"])
    write_csv(os.path.join(d, "Event.csv"),
              ["Id", "AccountId", "Subject", "ActivityDateTime", "ActivityDate", "DurationInMinutes", "OwnerId",
               "Type"], ev_rows, encoding="latin-1", quote_all=True)
    write_csv(os.path.join(d, "User.csv"), ["Id", "Username", "LastName", "FirstName", "Name", "Email", "IsActive"],
              [[o, f"u{i}@x.mx", "Núñez", "Ana", f"Ana Núñez {i}", f"u{i}@x.mx", "true"] for i, o in enumerate(owners)],
              encoding="latin-1", quote_all=True)
    expect(d, files=["Account.csv", "Opportunity.csv", "Task.csv", "Event.csv", "User.csv"],
           kinds={"accounts": "Account.csv", "opportunities": "Opportunity.csv", "activities": "Task.csv, Event.csv",
                  "users": "User.csv"},
           not_used=[], preset="salesforce_export", encoding="ISO-8859-1", date_format="%Y-%m-%d",
           transactions="@won", won=b.won(), currency="MXN", rates={"USD": "17.5", "COP": "0.0045"},
           status={"Cerrada ganada": "won", "Cerrada perdida": "lost"})


# ---------------------------------------------------------------------------
# amoCRM deals export (CSV and XLSX): Russian headers with a trailing space and
# seven duplicated, "не закрыта" in the close date of open deals, the company
# empty in B2C deals (the client is the contact), continuation rows without
# an id, no next-step date, budgets with spaces and ₽.

AMO_HEADER = ["ID", "Название сделки", "Бюджет ", "Ответственный", "Дата создания сделки", "Кем создана сделка",
              "Дата редактирования", "Кем редактирована", "Дата закрытия", "Теги", "Полное имя контакта",
              "Компания контакта", "Ответственный за контакт", "Компания", "Этап сделки", "Воронка",
              "Основной контакт", "Примечание", "Ответственный", "Компания", "Телефон", "Телефон", "Email", "Email",
              "Теги", "Примечание", "utm_source"]


def amo_book():
    return Book(22, 30, 200, ["ООО Ромашка", "ИП Петров", "Лесная сказка", "ЗАО Вектор", "ООО Север"],
                ["Москва", "Казань"], ["Первичный контакт", "Переговоры", "Принимают решение"])


def amo_rows(b, xlsx):
    people = ["Иванов Иван", "Сидорова Анна", "Кузнецов Пётр", "Смирнова Ольга", "Попов Алексей"]
    managers = ["Мария Волкова", "Олег Белов", "Ирина Котова"]
    rows = []
    for x in b.deals:
        stage = {"won": "Успешно реализовано", "lost": "Закрыто и не реализовано"}.get(x["status"], x["stage_open"])
        b2b = x["id"] % 10 < 3
        company = x["company"][1] if b2b else ""
        contact = people[x["id"] % 5] + f" {x['id'] % 60}"
        created = dt.datetime.combine(x["created"], dt.time(10, 15))
        if xlsx:
            close = x["close"] if x["close"] else "не закрыта"
            budget = x["amount"]
        else:
            close = x["close"].strftime("%d.%m.%Y") if x["close"] else "не закрыта"
            budget = f"{x['amount']:,.2f}".replace(",", " ").replace(".", ",") + " ₽"
            created = created.strftime("%d.%m.%Y %H:%M:%S")
        rows.append([str(x["id"]), f"Сделка #{x['id']}", budget, managers[x["owner"]], created, managers[0], "",
                     "", close, "", contact, company, managers[1], company, stage, "Воронка", contact, "", "",
                     company, "+7 900 000-00-00", "", "a@b.ru", "", "", "", ""])
        if x["id"] % 50 == 0:  # a continuation row: no id
            rows.append(["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "доп. строка", "", "",
                         "", "", "", "", "", "", ""])
    return rows


def amocrm_csv(d):
    b = amo_book()
    write_csv(os.path.join(d, "amocrm_export_leads.csv"), AMO_HEADER, amo_rows(b, False), delimiter=";", bom=True)
    expect(d, files=["amocrm_export_leads.csv"], kinds={"opportunities": "amocrm_export_leads.csv"}, not_used=[],
           preset="amocrm", encoding="UTF-8", date_format="%d.%m.%Y", transactions="@won", won=b.won(),
           currency="RUB", account="Полное имя контакта",
           status={"Успешно реализовано": "won", "Закрыто и не реализовано": "lost"})


def amocrm_xlsx(d):
    b = amo_book()
    write_xlsx(os.path.join(d, "amocrm_export_leads.xlsx"), AMO_HEADER, amo_rows(b, True),
               date_fmt="dd.mm.yyyy hh:mm", sheet="Сделки")
    expect(d, files=["amocrm_export_leads.xlsx"], kinds={"opportunities": "amocrm_export_leads.xlsx"}, not_used=[],
           preset="amocrm", date_format=None, transactions="@won", won=b.won(), account="Полное имя контакта",
           status={"Успешно реализовано": "won", "Закрыто и не реализовано": "lost"})


# ---------------------------------------------------------------------------
# Bitrix24: the UI CSV (';', CP1251, Russian headers, DD.MM.YYYY HH:MM:SS,
# 1 234,50) with its "Excel" export, an HTML table named .xls; and the REST
# dump (comma, UTF-8, API names, ISO times with zone, C<n>:WON codes).

def bitrix24_csv(d):
    b = Book(33, 30, 200, ["ООО Ромашка", "ИП Петров", "Лесная сказка", "ЗАО Вектор", "ООО Север", "АО Звезда"],
             ["Москва", "Казань"], ["Новая", "Подготовка документов", "Счёт на предоплату"])
    managers = ["Мария Волкова", "Олег Белов", "Ирина Котова"]
    write_csv(os.path.join(d, "company.csv"),
              ["ID", "Название компании", "Ответственный", "Сфера деятельности", "Регион", "Годовой оборот"],
              [[c[0], c[1], managers[int(c[0]) % 3], "Розница", c[2], "1 000 000,00"] for c in b.companies],
              delimiter=";", encoding="cp1251")
    rows = []
    for x in b.deals:
        stage = {"won": "Сделка успешна", "lost": "Сделка провалена"}.get(x["status"], x["stage_open"])
        rows.append([str(x["id"]), f"Сделка {x['id']}", stage, f"{x['amount']:,.2f}".replace(",", " ").replace(".", ","),
                     "RUB", managers[x["owner"]], x["company"][1], "", x["created"].strftime("%d.%m.%Y") + " 10:00:00",
                     "", x["created"].strftime("%d.%m.%Y"),
                     (x["close"] or x["created"] + dt.timedelta(days=30)).strftime("%d.%m.%Y"), "Продажа", ""])
    write_csv(os.path.join(d, "deal.csv"),
              ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Ответственный", "Компания", "Контакт",
               "Дата создания", "Дата изменения", "Дата начала", "Предполагаемая дата закрытия", "Тип", "Группа"],
              rows, delimiter=";", encoding="cp1251")
    with open(os.path.join(d, "deal.xls"), "w", encoding="utf-8") as f:
        f.write('<meta http-equiv="Content-type" content="text/html;charset=utf-8" />\n'
                "<table border=\"1\"><tr><td>ID</td><td>Название сделки</td></tr></table>\n")
    expect(d, files=["company.csv", "deal.csv", "deal.xls"], kinds={"accounts": "company.csv", "opportunities": "deal.csv"},
           not_used=["deal.xls"], preset="bitrix24", encoding="CP1251", date_format="%d.%m.%Y", transactions="@won",
           won=b.won(), currency="RUB", status={"Сделка успешна": "won", "Сделка провалена": "lost"})


def bitrix24_api(d):
    b = Book(44, 30, 200, ["Ромашка", "Петров", "Вектор"], ["Москва"], ["NEW", "C6:PREPARATION", "PREPAYMENT_INVOICE"])
    rows = []
    for x in b.deals:
        won = "C6:WON" if x["id"] % 2 else "WON"
        lost = ["C6:LOSE", "LOSE", "C6:APOLOGY"][x["id"] % 3]
        stage = {"won": won, "lost": lost}.get(x["status"], x["stage_open"])
        close = x["close"] or (x["created"] + dt.timedelta(days=30))
        rows.append([str(x["id"]), f"Сделка {x['id']}", stage, str(10 + x["owner"]), f"{x['amount']:.2f}", "RUB",
                     x["created"].isoformat() + "T00:00:00+03:00", close.isoformat() + "T00:00:00+03:00",
                     "Y" if x["status"] != "open" else "N", x["created"].isoformat() + "T10:00:00+03:00",
                     x["company"][0], "0"])
    write_csv(os.path.join(d, "deals_api.csv"),
              ["ID", "TITLE", "STAGE_ID", "ASSIGNED_BY_ID", "OPPORTUNITY", "CURRENCY_ID", "BEGINDATE", "CLOSEDATE",
               "CLOSED", "DATE_CREATE", "COMPANY_ID", "CONTACT_ID"], rows, newline="\n")
    expect(d, files=["deals_api.csv"], kinds={"opportunities": "deals_api.csv"}, not_used=[], preset="bitrix24_api",
           encoding="UTF-8", date_format="%Y-%m-%d", transactions="@won", won=b.won(), currency="RUB",
           status={"C6:WON": "won", "WON": "won", "C6:LOSE": "lost", "LOSE": "lost", "C6:APOLOGY": "lost"})


# ---------------------------------------------------------------------------
# Zoho CRM deals (API flattening): Closed Won / Closed Lost / Closed-Lost to
# Competition, times with zone, the account empty in B2C deals.

def zoho(d):
    b = Book(55, 30, 200, ["Acme Pty", "Koala Foods", "Harbour Ltd", "Outback Co"], ["Sydney", "Perth"],
             ["Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review"])
    rows, won = [], 0
    for x in b.deals:
        stage = {"won": "Closed Won", "lost": "Closed Lost" if x["id"] % 3 else "Closed-Lost to Competition"}.get(
            x["status"], x["stage_open"])
        b2b = x["id"] % 10 < 4
        contact = "" if x["id"] % 50 == 7 else f"Person {x['id'] % 70}"
        won += x["status"] == "won" and (b2b or contact != "")  # a deal with neither is rejected
        close = x["close"] or (x["created"] + dt.timedelta(days=45))
        rows.append([f"52910000{x['id']:05d}", f"Deal {x['id']}", stage, f"{x['amount']:.2f}", close.isoformat(),
                     x["created"].isoformat() + "T18:17:31+10:00", "90" if x["status"] == "won" else "30",
                     "Call back", ["Ann Lee", "Bob Ray", "Cy Tan"][x["owner"]], x["company"][1] if b2b else "",
                     contact if not b2b or x["id"] % 2 else "", "Web", "New Business"])
    write_csv(os.path.join(d, "Deals.csv"),
              ["id", "Deal_Name", "Stage", "Amount", "Closing_Date", "Created_Time", "Probability", "Next_Step",
               "Owner__name", "Account_Name__name", "Contact_Name__name", "Lead_Source", "Type"], rows, newline="\n")
    expect(d, files=["Deals.csv"], kinds={"opportunities": "Deals.csv"}, not_used=[], preset="zoho", encoding="UTF-8",
           date_format="%Y-%m-%d", transactions="@won", won=won, account="Contact_Name__name",
           status={"Closed Won": "won", "Closed Lost": "lost", "Closed-Lost to Competition": "lost"})


# ---------------------------------------------------------------------------
# Odoo: opportunities (crm.lead) and invoices (account.move, with credit
# notes), technical field names.

def odoo(d):
    b = Book(66, 30, 150, ["Azure Interior", "Deco Addict", "Gemini Furniture", "Ready Mat", "Wood Corner"],
             ["Brussels"], ["New", "Qualified", "Proposition"])
    users = ["Mitchell Admin", "Marc Demo", "Joel Willis"]
    rows = []
    for x in b.deals:
        if x["status"] == "lost":
            continue  # lost leads are archived: not in the export
        stage = "Won" if x["status"] == "won" else x["stage_open"]
        rows.append([str(x["id"]), f"Lead {x['id']}", x["created"].isoformat() + " 10:00:00",
                     (x["close"].isoformat() + " 12:00:00") if x["close"] else "", stage, f"{x['amount']:.2f}",
                     "100" if x["status"] == "won" else "20", users[x["owner"]], x["company"][1],
                     (x["created"] + dt.timedelta(days=40)).isoformat()])
    write_csv(os.path.join(d, "crm.lead.csv"),
              ["id", "name", "create_date", "date_closed", "stage_id", "expected_revenue", "probability", "user_id",
               "partner_id", "date_deadline"], rows, newline="\n")
    inv = []
    n = 0
    for x in b.deals:
        if x["status"] != "won":
            continue
        for k in range(3):
            n += 1
            day = x["close"] + dt.timedelta(days=30 * k)
            if day > AS_OF:
                break
            refund = n % 17 == 0
            amt = -x["amount"] / 10 if refund else x["amount"] / 3
            inv.append([str(n), f"{'RINV' if refund else 'INV'}/2025/{n:05d}", day.isoformat(), x["company"][1],
                        f"{amt:.2f}", "out_refund" if refund else "out_invoice"])
    write_csv(os.path.join(d, "account.move.csv"),
              ["id", "name", "invoice_date", "partner_id", "amount_total_signed", "move_type"], inv, newline="\n")
    expect(d, files=["crm.lead.csv", "account.move.csv"],
           kinds={"transactions": "account.move.csv", "opportunities": "crm.lead.csv"}, not_used=[], preset="odoo",
           encoding="UTF-8", date_format="%Y-%m-%d", transactions="account.move.csv", won=len(inv),
           status={"Won": "won"})


# ---------------------------------------------------------------------------
# HubSpot (XLSX, its default): companies and deals, internal stage values,
# dates as date cells.

def hubspot_xlsx(d):
    b = Book(77, 30, 200, ["Acme Inc", "Globex", "Initech", "Umbrella", "Hooli"], ["US", "Canada"],
             ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled"])
    owners = ["Ann Lee", "Bob Ray", "Cy Tan"]
    write_xlsx(os.path.join(d, "hubspot-crm-exports-all-companies.xlsx"),
               ["Record ID", "Company name", "Company Domain Name", "Website URL", "Company owner", "Industry",
                "Country/Region", "Create Date", "Last Activity Date", "Number of Employees", "Annual Revenue"],
               [[int(c[0]) + 9000, c[1], "x.com", "https://x.com", owners[int(c[0]) % 3], "COMPUTER_SOFTWARE", c[2],
                 dt.datetime(2023, 5, 1, 9, 30), None, 120, 5000000] for c in b.companies],
               date_fmt="yyyy-mm-dd hh:mm")
    rows = []
    for x in b.deals:
        stage = {"won": "closedwon", "lost": "closedlost"}.get(x["status"], x["stage_open"])
        close = x["close"] or (x["created"] + dt.timedelta(days=30))
        rows.append([x["id"] + 70000, f"Deal {x['id']}", stage, x["amount"], owners[x["owner"]],
                     dt.datetime.combine(close, dt.time(12, 0)), dt.datetime.combine(x["created"], dt.time(9, 30)),
                     None, int(x["company"][0]) + 9000])
    write_xlsx(os.path.join(d, "hubspot-crm-exports-all-deals.xlsx"),
               ["Record ID", "Deal Name", "Deal Stage", "Amount", "Deal owner", "Close Date", "Create Date",
                "Last Activity Date", "Associated Company IDs"], rows, date_fmt="yyyy-mm-dd hh:mm")
    expect(d, files=["hubspot-crm-exports-all-companies.xlsx", "hubspot-crm-exports-all-deals.xlsx"],
           kinds={"accounts": "hubspot-crm-exports-all-companies.xlsx",
                  "opportunities": "hubspot-crm-exports-all-deals.xlsx"},
           not_used=[], preset="hubspot", date_format=None, transactions="@won", won=b.won(),
           status={"closedwon": "won", "closedlost": "lost"})


# ---------------------------------------------------------------------------
# Pipedrive (XLSX): "Entity - Field" headers, a required column marked with
# '*', dates as Excel serials, the organisation by name.

def pipedrive_xlsx(d):
    b = Book(88, 30, 200, ["Acme GmbH", "Blue Sky", "Nordwind", "Tulip BV"], ["Berlin", "Prague"],
             ["Qualified", "Contact Made", "Proposal Made", "Negotiations Started"])
    owners = ["Ann Lee", "Bob Ray", "Cy Tan"]
    write_xlsx(os.path.join(d, "organizations.xlsx"),
               ["Organization - ID", "Organization - Name*", "Organization - Owner",
                "Organization - Address - City/town/village/locality of Address"],
               [[int(c[0]), c[1], owners[int(c[0]) % 3], c[2]] for c in b.companies])
    rows = []
    for x in b.deals:
        status = {"won": "Won", "lost": "Lost"}.get(x["status"], "Open")
        rows.append([x["id"], f"Deal {x['id']}", x["amount"], "EUR", x["stage_open"], status,
                     x["close"] if x["status"] == "won" else None, x["close"] if x["status"] == "lost" else None,
                     x["close"], x["created"] + dt.timedelta(days=30), "", owners[x["owner"]], x["company"][1],
                     x["created"]])
    write_xlsx(os.path.join(d, "deals.xlsx"),
               ["Deal - ID", "Deal - Title", "Deal - Value", "Deal - Currency", "Deal - Stage", "Deal - Status",
                "Deal - Won time", "Deal - Lost time", "Deal - Deal closed on", "Deal - Expected close date",
                "Deal - Lost reason", "Deal - Owner", "Deal - Organization", "Deal - Deal created"], rows)
    expect(d, files=["organizations.xlsx", "deals.xlsx"],
           kinds={"accounts": "organizations.xlsx", "opportunities": "deals.xlsx"}, not_used=[], preset="pipedrive",
           date_format=None, transactions="@won", won=b.won(), currency="EUR", status={"Won": "won", "Lost": "lost"})


# ---------------------------------------------------------------------------
# Salesforce report export (CSV): UI labels, %m/%d/%Y, 1,234.56, the footer.

def salesforce_report(d):
    b = Book(99, 30, 200, ["Acme Corp", "Globex", "Initech", "Stark Industries"], ["CA", "NY"],
             ["Prospecting", "Qualification", "Proposal/Price Quote"])
    owners = ["Ann Lee", "Bob Ray", "Cy Tan"]
    footer = [[], ["Grand Totals (200 records)"], ["Confidential Information - Do Not Distribute"],
              ["Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."]]
    write_csv(os.path.join(d, "report_accounts.csv"),
              ["Account ID", "Account Name", "Account Owner", "Industry", "Billing State/Province", "Employees",
               "Annual Revenue"],
              [[f"001{c[0]:0>5}", c[1], owners[int(c[0]) % 3], "Technology", c[2], "1,200", "2,500,000.00"]
               for c in b.companies] + footer)
    rows = []
    for x in b.deals:
        stage = {"won": "Closed Won", "lost": "Closed Lost"}.get(x["status"], x["stage_open"])
        close = x["close"] or (x["created"] + dt.timedelta(days=30))
        rows.append([f"006{x['id']:05d}", f"001{x['company'][0]:0>5}", x["created"].strftime("%m/%d/%Y"), stage,
                     f"{x['amount']:,.2f}", "50", close.strftime("%m/%d/%Y"), "Follow up", owners[x["owner"]]])
    write_csv(os.path.join(d, "report_opportunities.csv"),
              ["Opportunity ID", "Account ID", "Created Date", "Stage", "Amount", "Probability (%)", "Close Date",
               "Next Step", "Opportunity Owner"], rows + footer)
    expect(d, files=["report_accounts.csv", "report_opportunities.csv"],
           kinds={"accounts": "report_accounts.csv", "opportunities": "report_opportunities.csv"}, not_used=[],
           preset="salesforce", encoding="UTF-8", date_format="%m/%d/%Y", transactions="@won", won=b.won(),
           status={"Closed Won": "won", "Closed Lost": "lost"})


# ---------------------------------------------------------------------------
# A CRM without a preset (plain English headers): a B2C book whose company
# column is mostly empty (the contact is the client), activities whose type
# is mostly blank (the subject says what they were), open deals whose close
# date says "not closed".

def generic_b2c(d):
    b = Book(111, 30, 200, ["Smith & Co", "Jones Ltd", "Brown plc"], ["Leeds"], ["Lead", "Proposal", "Negotiation"])
    rows = []
    for x in b.deals:
        stage = {"won": "Won", "lost": "Lost"}.get(x["status"], x["stage_open"])
        b2b = x["id"] % 10 < 2
        rows.append([f"D{x['id']:04d}", f"Deal {x['id']}", x["company"][1] if b2b else "",
                     f"Client {x['id'] % 80}", x["created"].strftime("%d/%m/%Y"), stage, f"{x['amount']:.2f}",
                     x["close"].strftime("%d/%m/%Y") if x["close"] else "not closed"])
    write_csv(os.path.join(d, "deals.csv"),
              ["Deal ID", "Deal name", "Company", "Contact", "Created", "Stage", "Amount", "Close date"], rows)
    acts = []
    for i in range(240):
        acts.append([(D0 + dt.timedelta(days=i)).strftime("%d/%m/%Y"), "", f"Client {i % 80}",
                     "Call" if i % 30 == 0 else "", ["Call", "Email", "Phone call", "Meeting"][i % 4]])
    write_csv(os.path.join(d, "activities.csv"), ["Date", "Company", "Contact", "Activity type", "Subject"], acts)
    expect(d, files=["deals.csv", "activities.csv"], kinds={"opportunities": "deals.csv", "activities": "activities.csv"},
           not_used=[], preset="", encoding="UTF-8", date_format="%d/%m/%Y", transactions="@won", won=b.won(),
           account="Company | Contact", act_type="Activity type | Subject", blank_values="not closed",
           status={"Won": "won", "Lost": "lost"})


SHAPES = {f.__name__: f for f in [salesforce_api, amocrm_csv, amocrm_xlsx, bitrix24_csv, bitrix24_api, zoho, odoo,
                                  hubspot_xlsx, pipedrive_xlsx, salesforce_report, generic_b2c]}

if __name__ == "__main__":
    if sys.argv[1] == "list":
        print(" ".join(SHAPES))
        sys.exit(0)
    os.makedirs(sys.argv[2], exist_ok=True)
    SHAPES[sys.argv[1]](sys.argv[2])
